/**
 * Type names as scripts write them (`[int]`, `[datetime]`, `[string[]]`, `[hashtable]`,
 * `[pscustomobject]`, `[System.Management.Automation.RuntimeException]`...): what `-is` tests,
 * what a cast or `-as` converts to (about_Type_Operators, about_Type_Conversion).
 *
 * JavaScript has one number type: a whole number counts as [int] (and [long]), any number as
 * [double]; `5.0 -is [int]` is therefore True here, False in PowerShell.
 */
import { PsError } from '../errors.js';
import { PsHashtable, customObjectFrom, newHashtable } from './hashtable.js';
import {
  PsObject,
  ScriptBlock,
  TimeSpan,
  customObjectType,
  toArray,
  toPsString,
} from './values.js';

/** Short names and their full .NET names (about_Type_Accelerators). */
const accelerators: Record<string, string> = {
  int: 'system.int32',
  int32: 'system.int32',
  long: 'system.int64',
  int64: 'system.int64',
  double: 'system.double',
  decimal: 'system.decimal',
  single: 'system.single',
  float: 'system.single',
  string: 'system.string',
  char: 'system.char',
  bool: 'system.boolean',
  boolean: 'system.boolean',
  datetime: 'system.datetime',
  timespan: 'system.timespan',
  array: 'system.array',
  hashtable: 'system.collections.hashtable',
  ordered: 'system.collections.specialized.ordereddictionary',
  pscustomobject: 'system.management.automation.pscustomobject',
  psobject: 'system.management.automation.psobject',
  object: 'system.object',
  scriptblock: 'system.management.automation.scriptblock',
  guid: 'system.guid',
  void: 'system.void',
  regex: 'system.text.regularexpressions.regex',
  switch: 'system.management.automation.switchparameter',
};

/** The full, lower-case .NET name of a type as written (`int` -> `system.int32`, `int[]` -> `system.int32[]`). */
export function fullTypeName(written: string): string {
  const lower = written.toLowerCase();
  if (lower.endsWith('[]')) return `${fullTypeName(lower.slice(0, -2))}[]`;
  return accelerators[lower] ?? (lower.includes('.') ? lower : `system.${lower}`);
}

/** `$x -is [type]`. */
export function isOfType(value: unknown, written: string): boolean {
  const type = fullTypeName(written);
  if (type === 'system.object' || type === 'system.management.automation.psobject')
    return value !== null && value !== undefined;
  if (value === null || value === undefined) return false;
  if (type.endsWith('[]') || type === 'system.array')
    return Array.isArray(value) && (type === 'system.array' || type === 'system.object[]');
  switch (type) {
    case 'system.int32':
    case 'system.int64':
      return typeof value === 'number' && Number.isInteger(value);
    case 'system.double':
    case 'system.valuetype':
      return typeof value === 'number' || (type === 'system.valuetype' && value instanceof Date);
    case 'system.string':
      return typeof value === 'string';
    case 'system.boolean':
      return typeof value === 'boolean';
    case 'system.datetime':
      return value instanceof Date;
    case 'system.timespan':
      return value instanceof TimeSpan;
    case 'system.management.automation.scriptblock':
      return value instanceof ScriptBlock;
    case 'system.collections.hashtable':
      return value instanceof PsHashtable && !value.ordered;
    case 'system.collections.specialized.ordereddictionary':
      return value instanceof PsHashtable && value.ordered;
    case 'system.collections.idictionary':
      return value instanceof PsHashtable;
    default:
      break;
  }
  if (value instanceof PsObject) {
    const name = value.typeName.toLowerCase();
    return name === type || name.endsWith(`.${type.replace(/^system\./, '')}`);
  }
  return false;
}

/**
 * ExtendedTypeSystem.InvalidCastExceptionWithInnerException / InvalidCastException, as a
 * statement-terminating RuntimeException (errorId InvalidCastException... as PowerShell names it).
 */
export function invalidCast(value: unknown, netType: string, detail?: string): PsError {
  const message =
    detail === undefined
      ? `Cannot convert the "${toPsString(value)}" value of type "${typeOfValue(value)}" to type "${netType}".`
      : `Cannot convert value "${toPsString(value)}" to type "${netType}". Error: "${detail}"`;
  return new PsError(message, {
    category: 'InvalidArgument',
    errorId:
      detail === undefined
        ? 'ConvertToFinalInvalidCastException'
        : 'InvalidCastParseTargetInvocation',
    exceptionType: 'RuntimeException',
    reach: 'statement',
  });
}

/** `$x.GetType()`: a type object whose text is its full name (`"$($x.GetType())"` is System.String). */
export function runtimeType(value: unknown): PsObject {
  const full = typeOfValue(value);
  return new PsObject('System.RuntimeType', {
    Name: full.split('.').pop() ?? full,
    FullName: full,
  });
}

export function typeOfValue(value: unknown): string {
  if (typeof value === 'string') return 'System.String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'System.Int32' : 'System.Double';
  if (typeof value === 'boolean') return 'System.Boolean';
  if (value instanceof Date) return 'System.DateTime';
  if (value instanceof TimeSpan) return 'System.TimeSpan';
  if (value instanceof ScriptBlock) return 'System.Management.Automation.ScriptBlock';
  if (value instanceof PsHashtable) return value.typeName;
  if (value instanceof PsObject) return value.typeName;
  if (Array.isArray(value)) return 'System.Object[]';
  return 'System.Object';
}

/** `[datetime]'2024-01-31'`: PowerShell parses dates in the invariant culture (month first). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = toPsString(value).trim();
  const parsed = text === '' ? Number.NaN : Date.parse(text);
  if (Number.isNaN(parsed))
    throw invalidCast(value, 'System.DateTime', 'String was not recognized as a valid DateTime.');
  return new Date(parsed);
}

/** `[timespan]'01:30:00'` (`[-][d.]hh:mm[:ss[.fffffff]]`). */
export function toTimeSpan(value: unknown): TimeSpan {
  if (value instanceof TimeSpan) return value;
  if (typeof value === 'number') return new TimeSpan(value / 10_000);
  const text = toPsString(value).trim();
  const match = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(text);
  if (!match)
    throw invalidCast(value, 'System.TimeSpan', 'String was not recognized as a valid TimeSpan.');
  const [, minus, d, h, m, s, f] = match;
  const ms =
    Number(d ?? 0) * 86_400_000 +
    Number(h) * 3_600_000 +
    Number(m) * 60_000 +
    Number(s ?? 0) * 1000 +
    Number((f ?? '').padEnd(7, '0')) / 10_000;
  return new TimeSpan(minus ? -ms : ms);
}

/**
 * The conversions beyond arithmetic.ts's numbers, strings and booleans; undefined when `written`
 * is not one of them.
 */
export function convertToType(
  value: unknown,
  written: string,
  convertItem: (type: string, item: unknown) => unknown,
): { value: unknown } | undefined {
  const type = fullTypeName(written);
  if (type.endsWith('[]') && type !== 'system.object[]') {
    const itemType = written.replace(/\[\]$/, '');
    return { value: toArray(value).map((item) => convertItem(itemType, item)) };
  }
  switch (type) {
    case 'system.datetime':
      return { value: toDate(value) };
    case 'system.timespan':
      return { value: toTimeSpan(value) };
    case 'system.collections.hashtable':
      if (value instanceof PsHashtable) return { value };
      if (value instanceof PsObject)
        return { value: newHashtable(value.propertyNames.map((k) => [k, value.props[k]])) };
      throw invalidCast(value, 'System.Collections.Hashtable');
    case 'system.collections.specialized.ordereddictionary':
      if (value instanceof PsHashtable) return { value: newHashtable(value.entries(), true) };
      throw invalidCast(value, 'System.Collections.Specialized.OrderedDictionary');
    case 'system.management.automation.pscustomobject':
      if (value instanceof PsHashtable) return { value: customObjectFrom(value) };
      if (value instanceof PsObject && value.typeName !== customObjectType)
        return { value: new PsObject(customObjectType, { ...value.props }) };
      return { value };
    case 'system.management.automation.psobject':
    case 'system.object':
      return { value };
    case 'system.management.automation.scriptblock':
      if (value instanceof ScriptBlock) return { value };
      throw invalidCast(value, 'System.Management.Automation.ScriptBlock');
    case 'system.char': {
      const text = toPsString(value);
      if (typeof value === 'number') return { value: String.fromCharCode(value) };
      if (text.length !== 1)
        throw invalidCast(value, 'System.Char', 'String must be exactly one character long.');
      return { value: text };
    }
    case 'system.guid': {
      const text = toPsString(value).trim();
      if (
        !/^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[)}]?$/i.test(text)
      )
        throw invalidCast(
          value,
          'System.Guid',
          'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).',
        );
      const hex = text.replace(/[^0-9a-f]/gi, '').toLowerCase();
      return {
        value: guidObject(
          `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        ),
      };
    }
    default:
      return undefined;
  }
}

export const guidType = 'System.Guid';

/** A System.Guid: shown in a one-column table `Guid`, and as its text in a string. */
export function guidObject(text: string): PsObject {
  return new PsObject(guidType, { Guid: text });
}
