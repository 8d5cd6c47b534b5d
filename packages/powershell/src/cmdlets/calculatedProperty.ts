/**
 * Calculated properties: the hashtables Select-Object, Sort-Object, Format-Table, Format-List and
 * Group-Object take in -Property (`@{Name='Mem'; Expression={$_.MemoryAssigned / 1MB}}`).
 *
 * PowerShell reads them with MshParameter.cs: a key matches an allowed key by unambiguous prefix
 * (`n`, `na`, `e`...), so `@{n='X';e={...}}` works; Name and Label are the same entry. Errors are
 * PowerShell's FormatAndOut_MshParameter.resx messages with their ids (DictionaryKeyIllegal,
 * DictionaryKeyMandatoryEntry, DictionaryKeyAmbiguous), thrown as ParameterBindingExceptions that
 * end the statement.
 */
import { PsError } from '../errors.js';
import { PsObject, ScriptBlock, toPsString } from '../runtime/values.js';

/** The type names of `@{}` and `[ordered]@{}`. */
export const hashtableType = 'System.Collections.Hashtable';
const orderedDictionaryType = 'System.Collections.Specialized.OrderedDictionary';

interface EntriesLike {
  typeName: string;
  entries(): Iterable<[unknown, unknown]>;
}

function isEntriesLike(value: unknown): value is EntriesLike {
  if (typeof value !== 'object' || value === null || !('entries' in value)) return false;
  const typeName = (value as { typeName?: unknown }).typeName;
  return (
    typeof value.entries === 'function' &&
    (typeName === hashtableType || typeName === orderedDictionaryType)
  );
}

/**
 * The entries of a hashtable value, or null when the value is not a hashtable. The language's
 * `@{}` (runtime/hashtable.ts: an object with `typeName` System.Collections.Hashtable or
 * OrderedDictionary and `entries()`) is read by its shape, and so are a JS `Map` and a PsObject
 * of that type: this is the one adapter between the literal and the cmdlets.
 */
export function hashtableEntries(value: unknown): [string, unknown][] | null {
  if (value instanceof Map || isEntriesLike(value))
    return [...(value as EntriesLike).entries()].map(([k, v]) => [toPsString(k), v]);
  if (value instanceof PsObject && value.typeName === hashtableType)
    return Object.entries(value.props);
  return null;
}

/** One -Property entry: a property name (wildcards allowed), a script block, or a hashtable. */
export interface CalculatedProperty {
  /** The column or property name; for a script block without a name, its text. */
  name: string;
  /** A property name (read from each object) or a script block (run with `$_`). */
  expression: string | ScriptBlock;
  /** Sort-Object's per-key order; undefined when the hashtable does not say. */
  descending?: boolean;
  /** Format-Table's Width and Alignment, Format-* FormatString. */
  width?: number;
  alignment?: 'left' | 'center' | 'right';
  formatString?: string;
}

/** Which keys a cmdlet's hashtables may carry (PowerShell's per-cmdlet entry definitions). */
export type HashtableKeys = 'select' | 'sort' | 'format-table' | 'format-list' | 'group';

const keysOf: Record<HashtableKeys, string[]> = {
  select: ['Name', 'Label', 'Expression'],
  sort: ['Expression', 'Ascending', 'Descending'],
  'format-table': ['Name', 'Label', 'Expression', 'FormatString', 'Width', 'Alignment'],
  'format-list': ['Name', 'Label', 'Expression', 'FormatString'],
  group: ['Expression'],
};

function bindingError(message: string, errorId: string): PsError {
  return new PsError(message, {
    category: 'InvalidArgument',
    errorId,
    exceptionType: 'NotSupportedException',
    reach: 'statement',
  });
}

/** The allowed key `key` abbreviates (Name and Label count as one entry). */
function canonicalKey(key: string, allowed: string[]): string {
  const lower = key.toLowerCase();
  const matches = allowed.filter((k) => k.toLowerCase().startsWith(lower));
  const exact = matches.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const distinct = matches.filter((k) => !(k === 'Label' && matches.includes('Name')));
  if (key === '' || distinct.length === 0)
    throw bindingError(`The ${key} key is not valid.`, 'DictionaryKeyIllegal');
  if (distinct.length > 1)
    throw bindingError(
      `The ${key} key is ambiguous; ${distinct[0]} and ${distinct[1]} conflict.`,
      'DictionaryKeyAmbiguous',
    );
  return distinct[0] ?? key;
}

/** Reads one hashtable as a calculated property of the given cmdlet. */
export function calculatedPropertyOf(
  entries: [string, unknown][],
  kind: HashtableKeys,
): CalculatedProperty {
  const allowed = keysOf[kind];
  const values = new Map<string, unknown>();
  for (const [key, value] of entries) {
    const canonical = canonicalKey(key, allowed);
    values.set(canonical === 'Label' ? 'Name' : canonical, value);
  }
  const expression = values.get('Expression');
  if (expression === undefined || expression === null)
    throw bindingError(
      'A mandatory entry for Expression is missing.',
      'DictionaryKeyMandatoryEntry',
    );
  const given = values.get('Name');
  const name =
    given !== undefined && given !== null
      ? toPsString(given)
      : expression instanceof ScriptBlock
        ? expression.text.trim()
        : toPsString(expression);
  const result: CalculatedProperty = {
    name,
    expression: expression instanceof ScriptBlock ? expression : toPsString(expression),
  };
  if (values.has('Descending')) result.descending = values.get('Descending') === true;
  else if (values.has('Ascending')) result.descending = values.get('Ascending') !== true;
  const width = Number(values.get('Width'));
  if (values.has('Width') && width > 0) result.width = width;
  const alignment = toPsString(values.get('Alignment')).toLowerCase();
  if (alignment === 'left' || alignment === 'center' || alignment === 'right')
    result.alignment = alignment;
  if (values.has('FormatString')) result.formatString = toPsString(values.get('FormatString'));
  return result;
}

/** -Property as given: names and script blocks stay as they are, hashtables are read. */
export function propertyArguments(
  values: unknown[],
  kind: HashtableKeys,
): (string | ScriptBlock | CalculatedProperty)[] {
  return values.map((value) => {
    const entries = hashtableEntries(value);
    if (entries) return calculatedPropertyOf(entries, kind);
    return value instanceof ScriptBlock ? value : toPsString(value);
  });
}
