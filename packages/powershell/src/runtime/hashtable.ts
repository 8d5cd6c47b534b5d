/**
 * Hashtables (about_Hash_Tables): `@{ Name = 'x'; Count = 2 }`, `[ordered]@{...}`, their keys
 * compared without case as PowerShell's hash literals do, `$h['Name']`, `$h.Name`, `.Keys`,
 * `.Values`, `.Count`, `.ContainsKey()`, `.Add()`, `.Remove()`, `.GetEnumerator()`.
 *
 * Other parts of the runtime read hashtables through `isHashtable`, `hashtableEntries` and
 * `hashtableGet` (splatting, Select-Object's calculated properties `@{n='x'; e={...}}`).
 *
 * Deviation: a .NET Hashtable lists its keys in hash-bucket order, which this product cannot
 * reproduce; ours keeps the order the keys were added in, as `[ordered]@{}` does.
 */
import { PsError } from '../errors.js';
import { PsObject, toPsString } from './values.js';

export const hashtableType = 'System.Collections.Hashtable';
export const orderedDictionaryType = 'System.Collections.Specialized.OrderedDictionary';
export const dictionaryEntryType = 'System.Collections.DictionaryEntry';

const objectKeys = new WeakMap<object, number>();
let nextObjectKey = 0;

/** The identity of a key: strings without case, numbers and booleans by value, objects by reference. */
function keyIdentity(key: unknown): string {
  if (typeof key === 'string') return `s:${key.toLowerCase()}`;
  if (typeof key === 'number') return `n:${key}`;
  if (typeof key === 'boolean') return `b:${key}`;
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'object') {
    let id = objectKeys.get(key);
    if (id === undefined) {
      id = nextObjectKey++;
      objectKeys.set(key, id);
    }
    return `o:${id}`;
  }
  return `x:${toPsString(key)}`;
}

/**
 * .NET Framework's Hashtable message for a key added twice (mscorlib Argument_AddingDuplicate__,
 * as Windows PowerShell 5.1 prints it inside "Exception calling "Add" ...").
 */
export function duplicateKeyMessage(existing: unknown, added: unknown): string {
  return `Item has already been added. Key in dictionary: '${toPsString(existing)}'  Key being added: '${toPsString(added)}'`;
}

export class PsHashtable {
  private readonly map = new Map<string, { key: unknown; value: unknown }>();

  constructor(
    /** `[ordered]@{}`: a System.Collections.Specialized.OrderedDictionary. */
    readonly ordered = false,
  ) {}

  get typeName(): string {
    return this.ordered ? orderedDictionaryType : hashtableType;
  }

  get count(): number {
    return this.map.size;
  }

  has(key: unknown): boolean {
    return this.map.has(keyIdentity(key));
  }

  get(key: unknown): unknown {
    return this.map.get(keyIdentity(key))?.value;
  }

  /** The key as it was first written (`'a'` when `'A'` is looked up). */
  storedKey(key: unknown): unknown {
    return this.map.get(keyIdentity(key))?.key;
  }

  /** `$h[key] = value`: adds or replaces; a replaced key keeps its place and its spelling. */
  set(key: unknown, value: unknown): void {
    const id = keyIdentity(key);
    const entry = this.map.get(id);
    if (entry) entry.value = value;
    else this.map.set(id, { key, value });
  }

  /** `.Add(key, value)`: a key already there is .NET's ArgumentException. */
  add(key: unknown, value: unknown): void {
    const entry = this.map.get(keyIdentity(key));
    if (entry) throw new Error(duplicateKeyMessage(entry.key, key));
    this.set(key, value);
  }

  remove(key: unknown): void {
    this.map.delete(keyIdentity(key));
  }

  clear(): void {
    this.map.clear();
  }

  keys(): unknown[] {
    return [...this.map.values()].map((e) => e.key);
  }

  values(): unknown[] {
    return [...this.map.values()].map((e) => e.value);
  }

  entries(): [unknown, unknown][] {
    return [...this.map.values()].map((e): [unknown, unknown] => [e.key, e.value]);
  }

  clone(): PsHashtable {
    const copy = new PsHashtable(this.ordered);
    for (const [key, value] of this.entries()) copy.set(key, value);
    return copy;
  }
}

export function isHashtable(value: unknown): value is PsHashtable {
  return value instanceof PsHashtable;
}

/** The key/value pairs of a hashtable, in order; none for anything else. */
export function hashtableEntries(value: unknown): [unknown, unknown][] {
  return value instanceof PsHashtable ? value.entries() : [];
}

/** The value under `key` (compared without case), or undefined when the key is not there. */
export function hashtableGet(value: unknown, key: unknown): unknown {
  return value instanceof PsHashtable ? value.get(key) : undefined;
}

/** A hashtable of `entries`, for code that builds one (`$Matches`, `$PSBoundParameters`). */
export function newHashtable(entries: Iterable<[unknown, unknown]>, ordered = false): PsHashtable {
  const table = new PsHashtable(ordered);
  for (const [key, value] of entries) table.set(key, value);
  return table;
}

/** One pair of `.GetEnumerator()`: a DictionaryEntry, with PowerShell's `Name` alias of `Key`. */
export function dictionaryEntry(key: unknown, value: unknown): PsObject {
  return new PsObject(dictionaryEntryType, { Name: key, Key: key, Value: value });
}

/** `[pscustomobject]@{...}`: a PSCustomObject whose properties keep the literal's order. */
export function customObjectFrom(table: PsHashtable): PsObject {
  const props: Record<string, unknown> = {};
  for (const [key, value] of table.entries()) props[toPsString(key)] = value;
  return new PsObject('System.Management.Automation.PSCustomObject', props);
}

/** `$h1 + $h2` (about_Hash_Tables, "Adding and removing keys and values"): a new table with both. */
export function addHashtables(left: PsHashtable, right: unknown): PsHashtable {
  if (!(right instanceof PsHashtable))
    // ParserStrings.AddHashTableToNonHashTable, raised at run time by PowerShell's binder.
    throw new PsError('A hash table can only be added to another hash table.', {
      category: 'InvalidOperation',
      errorId: 'AddHashTableToNonHashTable',
      exceptionType: 'RuntimeException',
      reach: 'statement',
    });
  const sum = left.clone();
  for (const [key, value] of right.entries()) {
    if (sum.has(key))
      // .NET's ArgumentException escapes the operator; Windows PowerShell 5.1 shows it as
      // OperationStopped with the exception's full name as the error id.
      throw new PsError(duplicateKeyMessage(sum.storedKey(key), key), {
        category: 'OperationStopped',
        errorId: 'System.ArgumentException',
        exceptionType: 'ArgumentException',
        reach: 'statement',
      });
    sum.set(key, value);
  }
  return sum;
}

/** Members of a hashtable: a key of that name first (PowerShell's dictionary adapter), then the properties. */
export function hashtableMember(table: PsHashtable, name: string): unknown {
  if (table.has(name)) return table.get(name) ?? null;
  switch (name.toLowerCase()) {
    case 'count':
      return table.count;
    case 'keys':
      return table.keys();
    case 'values':
      return table.values();
    case 'isreadonly':
    case 'isfixedsize':
    case 'issynchronized':
      return false;
    default:
      return null;
  }
}

/**
 * Method calls on a hashtable, or undefined when the method is not one of them. Errors are
 * PowerShell's MethodInvocationException text: `Exception calling "Add" with "2" argument(s): "..."`.
 */
export function callHashtableMethod(
  table: PsHashtable,
  name: string,
  args: unknown[],
): { value: unknown } | undefined {
  const [first, second] = args;
  switch (name.toLowerCase()) {
    case 'containskey':
    case 'contains':
      return { value: table.has(first) };
    case 'containsvalue':
      return {
        value: table.values().some((v) => v === first || toPsString(v) === toPsString(first)),
      };
    case 'add':
      try {
        table.add(first, second);
      } catch (error) {
        throw methodInvocationError(
          'Add',
          args.length,
          (error as Error).message,
          'ArgumentException',
        );
      }
      return { value: null };
    case 'remove':
      table.remove(first);
      return { value: null };
    case 'clear':
      table.clear();
      return { value: null };
    case 'clone':
      return { value: table.clone() };
    case 'getenumerator':
      return { value: table.entries().map(([k, v]) => dictionaryEntry(k, v)) };
    default:
      return undefined;
  }
}

/** ExtendedTypeSystem.MethodInvocationException: `Exception calling "{0}" with "{1}" argument(s): "{2}"`. */
export function methodInvocationError(
  method: string,
  argumentCount: number,
  message: string,
  errorId: string,
): PsError {
  return new PsError(
    `Exception calling "${method}" with "${argumentCount}" argument(s): "${message}"`,
    {
      category: 'NotSpecified',
      errorId,
      exceptionType: 'MethodInvocationException',
      reach: 'statement',
    },
  );
}
