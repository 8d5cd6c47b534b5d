/** Runtime values: PowerShell-like objects, TimeSpan, script blocks, and the conversions between them. */
import type { AttributeNode, ParameterNode, Statement } from '../language/ast.js';
import { defaultRunLimits, limitExceeded } from './budget.js';
import { PsHashtable, hashtableMember } from './hashtable.js';
import { numberText } from './numberText.js';

/** An object with an ordered property bag and a .NET-like type name. Property names are case-insensitive. */
export class PsObject {
  constructor(
    readonly typeName: string,
    readonly props: Record<string, unknown>,
  ) {}

  get(name: string): unknown {
    const key = this.key(name);
    return key === undefined ? undefined : this.props[key];
  }

  has(name: string): boolean {
    return this.key(name) !== undefined;
  }

  key(name: string): string | undefined {
    if (Object.prototype.hasOwnProperty.call(this.props, name)) return name;
    const lower = name.toLowerCase();
    return Object.keys(this.props).find((k) => k.toLowerCase() === lower);
  }

  get propertyNames(): string[] {
    return Object.keys(this.props);
  }
}

export const customObjectType = 'System.Management.Automation.PSCustomObject';

export class TimeSpan {
  constructor(readonly milliseconds: number) {}

  get ticks(): number {
    return Math.round(this.milliseconds * 10_000);
  }

  /**
   * .NET's TimeSpan.ToString() ("c"): `[-][d.]hh:mm:ss[.fffffff]`, the seven fraction digits only
   * when there is a fraction (Get-VM's Uptime `01:08:27.8810000`).
   */
  toString(): string {
    const ticks = this.ticks;
    const abs = Math.abs(ticks);
    const days = Math.floor(abs / 864_000_000_000);
    const pad = (n: number): string => String(n).padStart(2, '0');
    const time = `${pad(Math.floor(abs / 36_000_000_000) % 24)}:${pad(Math.floor(abs / 600_000_000) % 60)}:${pad(Math.floor(abs / 10_000_000) % 60)}`;
    const fraction = abs % 10_000_000;
    return `${ticks < 0 ? '-' : ''}${days > 0 ? `${days}.` : ''}${time}${fraction === 0 ? '' : `.${String(fraction).padStart(7, '0')}`}`;
  }

  /** The properties of a TimeSpan, in the order PowerShell lists them. */
  toJSON(): Record<string, number> {
    const ticks = this.ticks;
    const whole = (unit: number): number => Math.trunc(ticks / unit);
    return {
      Days: whole(864_000_000_000),
      Hours: whole(36_000_000_000) % 24,
      Minutes: whole(600_000_000) % 60,
      Seconds: whole(10_000_000) % 60,
      Milliseconds: whole(10_000) % 1000,
      Ticks: ticks,
      TotalDays: ticks / 864_000_000_000,
      TotalHours: ticks / 36_000_000_000,
      TotalMinutes: ticks / 600_000_000,
      TotalSeconds: ticks / 10_000_000,
      TotalMilliseconds: ticks / 10_000,
    };
  }
}

export class ScriptBlock {
  constructor(
    readonly statements: Statement[],
    readonly text: string,
    /** Its `param(...)` block, if any. */
    readonly parameters: ParameterNode[] = [],
    /** Its `begin`/`process` blocks and `[CmdletBinding()]`-like attributes (about_Script_Blocks). */
    readonly named: {
      begin?: Statement[];
      process?: Statement[];
      attributes?: AttributeNode[];
    } = {},
  ) {}
}

/** The type of `$_` in a catch block and of the items of `$Error`. */
export const errorRecordType = 'System.Management.Automation.ErrorRecord';

export function toArray(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Pipeline output as a variable receives it: nothing → $null, one → the object, more → an array. */
export function unwrap(values: unknown[]): unknown {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0];
  return values;
}

/** `M/d/yyyy h:mm:ss tt` in the host's local time, as en-US PowerShell prints a DateTime. */
export function formatDateTime(date: Date): string {
  const h = date.getHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getMonth() + 1}/${date.getDate()}/${date.getFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** What PowerShell prints for a value in a table cell, a string expansion or Write-Host. */
export function toPsString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return formatDateTime(value);
  if (value instanceof TimeSpan) return value.toString();
  if (value instanceof ScriptBlock) return value.text;
  if (Array.isArray(value)) return joinArray(value);
  if (value instanceof PsHashtable) return value.typeName;
  if (value instanceof PsObject) {
    // An error record converts to its exception's message ("$_" in a catch block).
    if (value.typeName === errorRecordType) return toPsString(getMember(value, 'Exception'));
    if (value.typeName.endsWith('Exception') && value.has('Message'))
      return toPsString(value.get('Message'));
    // Warning, verbose and debug records convert to their message, information records to their data.
    const text = recordText(value);
    if (text !== undefined) return text;
    if (value.typeName === 'System.Guid') return toPsString(value.get('Guid'));
    // [B] A boot entry (Get-VMFirmware's BootOrder) is its BootType: public transcripts of
    // Get-VMFirmware show the column as {Drive, Network}.
    if (value.typeName === 'Microsoft.HyperV.PowerShell.VMBootSource')
      return toPsString(value.get('BootType'));
    if (value.typeName === 'System.RuntimeType') return toPsString(value.get('FullName'));
    // A PathInfo ($PWD, Get-Location) is its path; a FileInfo from Get-ChildItem its name, as in 5.1.
    if (value.typeName === 'System.Management.Automation.PathInfo')
      return toPsString(value.get('Path'));
    if (value.typeName === 'System.IO.FileInfo' || value.typeName === 'System.IO.DirectoryInfo')
      return toPsString(value.get('Name'));
    // A System.Version: `5.1.18362.145`, the parts that are set (Version.ToString()).
    if (value.typeName === 'System.Version')
      return ['Major', 'Minor', 'Build', 'Revision']
        .map((part) => Number(value.get(part)))
        .filter((part) => part >= 0)
        .join('.');
    // A CmdletInfo or FunctionInfo (`$_.InvocationInfo.MyCommand`) is its name.
    if (/^System\.Management\.Automation\.(?:Cmdlet|Function)Info$/.test(value.typeName))
      return toPsString(value.get('Name'));
    if (value.typeName === customObjectType) {
      return `@{${value.propertyNames.map((k) => `${k}=${toPsString(value.props[k])}`).join('; ')}}`;
    }
    return value.typeName;
  }
  // Objects of this runtime with a ToString() of their own (Format-Table's output, format/view.ts).
  if (typeof value === 'object' && value.toString !== Object.prototype.toString)
    return (value as { toString(): string }).toString();
  return Object.prototype.toString.call(value);
}

const messageRecords = new Set(['WarningRecord', 'VerboseRecord', 'DebugRecord']);

/** The text of a stream record or an ErrorCategoryInfo, as their ToString() gives it. */
function recordText(value: PsObject): string | undefined {
  const prefix = 'System.Management.Automation.';
  if (!value.typeName.startsWith(prefix)) return undefined;
  const type = value.typeName.slice(prefix.length);
  if (messageRecords.has(type)) return toPsString(value.get('Message'));
  if (type === 'InformationRecord') return toPsString(value.get('MessageData'));
  if (type === 'ErrorCategoryInfo')
    return `${toPsString(value.get('Category'))}: (${toPsString(value.get('TargetName'))}:${toPsString(value.get('TargetType'))}) [${toPsString(value.get('Activity'))}], ${toPsString(value.get('Reason'))}`;
  return undefined;
}

/**
 * An array as a string: its items joined by spaces (`$OFS`). Nested arrays share items, so
 * `$a = $a, $a` forty times is a small value whose text would be 2^40 items long: the text is
 * built item by item and given up beyond the string limit.
 */
function joinArray(items: readonly unknown[]): string {
  const max = defaultRunLimits.maxStringLength;
  const parts: string[] = [];
  let length = 0;
  const visit = (value: readonly unknown[]): void => {
    for (const item of value) {
      if (parts.length > 0) length += 1;
      const text = Array.isArray(item) ? (visit(item as unknown[]), null) : toPsString(item);
      if (text !== null) {
        parts.push(text);
        length += text.length;
      }
      if (length > max)
        throw limitExceeded(`The script built a string of more than ${max} characters.`);
    }
  };
  visit(items);
  return parts.join(' ');
}

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) {
    if (value.length === 0) return false;
    if (value.length === 1) return isTruthy(value[0]);
    return true;
  }
  return true;
}

/** Member access with PowerShell's member enumeration: `(Get-VM).Name` gives every VM's name. */
export function getMember(target: unknown, name: string): unknown {
  const lower = name.toLowerCase();
  if (target === null || target === undefined)
    return lower === 'count' || lower === 'length' ? 0 : null;
  if (Array.isArray(target)) {
    if (lower === 'count' || lower === 'length') return target.length;
    const values = target
      .map((item) => getMember(item, name))
      .filter((v) => v !== null && v !== undefined);
    return unwrap(values.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v])));
  }
  if (target instanceof PsHashtable) return hashtableMember(target, name);
  if (target instanceof PsObject) {
    if (target.has(name)) return target.get(name) ?? null;
    if (lower === 'count' || lower === 'length') return 1;
    return null;
  }
  if (typeof target === 'string') {
    if (lower === 'length') return target.length;
    if (lower === 'count') return 1;
    return null;
  }
  if (target instanceof TimeSpan) {
    const fields = target.toJSON();
    const key = Object.keys(fields).find((k) => k.toLowerCase() === lower);
    return key === undefined ? null : (fields[key] ?? null);
  }
  if (target instanceof Date) return dateMember(target, lower);
  if (lower === 'count' || lower === 'length') return 1;
  return null;
}

/** A JSON-able copy of a value: objects become plain property bags, dates ISO strings. */
export function toPlain(value: unknown, depth = 8): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof TimeSpan) return value.toString();
  if (value instanceof ScriptBlock) return value.text;
  if (Array.isArray(value))
    return depth <= 0 ? toPsString(value) : value.map((v) => toPlain(v, depth - 1));
  if (value instanceof PsHashtable) {
    if (depth <= 0) return toPsString(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries()) out[toPsString(k)] = toPlain(v, depth - 1);
    return out;
  }
  if (value instanceof PsObject) {
    if (depth <= 0) return toPsString(value);
    const out: Record<string, unknown> = {};
    for (const k of value.propertyNames) out[k] = toPlain(value.props[k], depth - 1);
    return out;
  }
  return value;
}

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** DateTime's properties (the .NET DateTime reference), in the host's local time. */
function dateMember(date: Date, lower: string): unknown {
  const midnight = new Date(date.getTime());
  midnight.setHours(0, 0, 0, 0);
  switch (lower) {
    case 'year':
      return date.getFullYear();
    case 'month':
      return date.getMonth() + 1;
    case 'day':
      return date.getDate();
    case 'hour':
      return date.getHours();
    case 'minute':
      return date.getMinutes();
    case 'second':
      return date.getSeconds();
    case 'millisecond':
      return date.getMilliseconds();
    case 'dayofweek':
      return dayNames[date.getDay()] ?? null;
    case 'dayofyear':
      return (
        Math.round(
          (midnight.getTime() - new Date(date.getFullYear(), 0, 1).getTime()) / 86_400_000,
        ) + 1
      );
    case 'date':
      return midnight;
    case 'timeofday':
      return new TimeSpan(date.getTime() - midnight.getTime());
    case 'count':
    case 'length':
      return 1;
    default:
      return null;
  }
}
