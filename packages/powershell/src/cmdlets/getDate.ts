/**
 * Get-Date (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): the host's local
 * time, or -Date (a DateTime or a string .NET parses), with -Year/-Month/-Day/-Hour/-Minute/
 * -Second/-Millisecond replaced; -Format gives the .NET format's text and -UFormat the UNIX-style
 * one (both are strings then, not DateTimes). -DisplayHint is not modelled.
 */
import { PsError } from '../errors.js';
import { formatDate, formatUFormat } from '../format/dateFormat.js';
import { toPsString } from '../runtime/values.js';
import { cls } from './cmdletHelpers.js';
import type { CmdletDef, ParamDef } from './types.js';

const parts = ['Year', 'Month', 'Day', 'Hour', 'Minute', 'Second', 'Millisecond'] as const;

/**
 * A string as DateTime.Parse reads it in en-US, for the common forms: ISO 8601
 * (`2026-12-06`, `2026-12-06T15:54:53`), `M/d/yyyy [h:mm[:ss] [AM|PM]]`, and month names
 * (`December 6, 2026`). Null when it is none of them.
 */
export function parseDate(text: string): Date | null {
  const t = text.trim();
  const us =
    /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(t);
  if (us) {
    let hour = Number(us[4] ?? 0);
    const half = us[7]?.toUpperCase();
    if (half === 'PM' && hour < 12) hour += 12;
    if (half === 'AM' && hour === 12) hour = 0;
    const date = new Date(
      Number(us[3]),
      Number(us[1]) - 1,
      Number(us[2]),
      hour,
      Number(us[5] ?? 0),
      Number(us[6] ?? 0),
    );
    return date.getMonth() === Number(us[1]) - 1 ? date : null;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/.exec(
    t,
  );
  if (iso)
    return new Date(
      Number(iso[1]),
      Number(iso[2]) - 1,
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      Number((iso[7] ?? '0').padEnd(3, '0').slice(0, 3)),
    );
  if (/^[A-Za-z]+ \d{1,2}, \d{4}$/.test(t) || /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return null;
}

/** PowerShell's binding error for a -Date it cannot convert (.NET's FormatException text). */
function cannotConvertDate(value: unknown): PsError {
  return new PsError(
    `Cannot bind parameter 'Date'. Cannot convert value "${toPsString(value)}" to type "System.DateTime". Error: "String was not recognized as a valid DateTime."`,
    {
      category: 'InvalidArgument',
      errorId: 'CannotConvertArgumentNoMessage',
      exceptionType: 'ParameterBindingException',
      reach: 'statement',
    },
  );
}

function toDate(value: unknown): Date {
  const scalar = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  if (scalar instanceof Date) return new Date(scalar.getTime());
  const parsed = typeof scalar === 'string' ? parseDate(scalar) : null;
  if (parsed === null) throw cannotConvertDate(scalar);
  return parsed;
}

export const getDate: CmdletDef = {
  name: 'Get-Date',
  className: cls('GetDateCommand'),
  params: [
    { name: 'Date', type: 'any', position: 0, pipelineByValue: true, aliases: ['LastWriteTime'] },
    ...parts.map((name): ParamDef => ({ name, type: 'int', netType: 'System.Int32' })),
    { name: 'Format', type: 'string' },
    { name: 'UFormat', type: 'string' },
  ],
  process(ctx, params) {
    const date =
      params.Date === undefined || params.Date === null ? new Date() : toDate(params.Date);
    const set: Record<(typeof parts)[number], (n: number) => void> = {
      Year: (n) => date.setFullYear(n),
      Month: (n) => date.setMonth(n - 1),
      Day: (n) => date.setDate(n),
      Hour: (n) => date.setHours(n),
      Minute: (n) => date.setMinutes(n),
      Second: (n) => date.setSeconds(n),
      Millisecond: (n) => date.setMilliseconds(n),
    };
    for (const part of parts) {
      const n = params[part];
      if (typeof n === 'number') set[part](n);
    }
    if (typeof params.Format === 'string') ctx.write(formatDate(date, params.Format));
    else if (typeof params.UFormat === 'string') ctx.write(formatUFormat(date, params.UFormat));
    else ctx.write(date);
    return Promise.resolve();
  },
};
