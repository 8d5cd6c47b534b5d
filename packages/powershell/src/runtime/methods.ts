/**
 * The .NET methods scripts call on our values (the .NET API reference of each type): String
 * (Split, Trim, Replace, ToUpper, StartsWith, Contains, Substring, PadLeft, IndexOf...), DateTime
 * (AddDays..., ToString(format), Subtract), TimeSpan (Add, Subtract, ToString(format)), numbers
 * (ToString(format)), arrays (Contains, IndexOf) and ToString() on everything. A .NET exception
 * is PowerShell's MethodInvocationException, `Exception calling "X" with "N" argument(s): "..."`.
 */
import { PsError } from '../errors.js';
import type { RunLimits } from './budget.js';
import { defaultRunLimits, limitExceeded } from './budget.js';
import { formatValue } from './dotnetFormat.js';
import { methodInvocationError } from './hashtable.js';
import { runtimeType, typeOfValue } from './typeConversion.js';
import { TimeSpan, toPsString } from './values.js';

const day = 86_400_000;
const dateMethods: Record<string, number> = {
  adddays: day,
  addhours: 3_600_000,
  addminutes: 60_000,
  addseconds: 1000,
  addmilliseconds: 1,
  addticks: 1 / 10_000,
};

/** .NET's ArgumentOutOfRangeException text (mscorlib), as PowerShell shows it inside the call error. */
const outOfRange = (method: string, count: number, detail: string, parameter: string): PsError =>
  methodInvocationError(
    method,
    count,
    `${detail}\nParameter name: ${parameter}`,
    'ArgumentOutOfRangeException',
  );

function dateMethod(target: Date, lower: string, args: unknown[]): { value: unknown } | undefined {
  const [first] = args;
  const unit = dateMethods[lower];
  if (unit !== undefined) return { value: new Date(target.getTime() + Number(first ?? 0) * unit) };
  switch (lower) {
    case 'addmonths':
    case 'addyears': {
      const d = new Date(target.getTime());
      const months = Number(first ?? 0) * (lower === 'addyears' ? 12 : 1);
      const dayOfMonth = d.getDate();
      d.setDate(1);
      d.setMonth(d.getMonth() + months);
      const last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
      d.setDate(Math.min(dayOfMonth, last));
      return { value: d };
    }
    case 'subtract':
      if (first instanceof Date) return { value: new TimeSpan(target.getTime() - first.getTime()) };
      if (first instanceof TimeSpan)
        return { value: new Date(target.getTime() - first.milliseconds) };
      return undefined;
    case 'add':
      if (first instanceof TimeSpan)
        return { value: new Date(target.getTime() + first.milliseconds) };
      return undefined;
    case 'toshortdatestring':
      return { value: formatValue(target, 'd', toPsString) };
    case 'tolongdatestring':
      return { value: formatValue(target, 'D', toPsString) };
    case 'toshorttimestring':
      return { value: formatValue(target, 't', toPsString) };
    case 'tolongtimestring':
      return { value: formatValue(target, 'T', toPsString) };
    case 'touniversaltime':
    case 'tolocaltime':
      return { value: new Date(target.getTime()) };
    default:
      return undefined;
  }
}

function timeSpanMethod(
  target: TimeSpan,
  lower: string,
  args: unknown[],
): { value: unknown } | undefined {
  const [first] = args;
  switch (lower) {
    case 'add':
    case 'subtract':
      if (!(first instanceof TimeSpan)) return undefined;
      return {
        value: new TimeSpan(target.milliseconds + (lower === 'add' ? 1 : -1) * first.milliseconds),
      };
    case 'negate':
      return { value: new TimeSpan(-target.milliseconds) };
    case 'duration':
      return { value: new TimeSpan(Math.abs(target.milliseconds)) };
    default:
      return undefined;
  }
}

/**
 * .NET String.Split(params char[]): every character of the arguments separates (white space
 * when none is given). The pieces are counted as they are cut, against the collection limit.
 */
function splitOnCharacters(target: string, args: unknown[], maxPieces: number): string[] {
  const separators = new Set(args.flatMap((a) => [...toPsString(a)]));
  const separates = (c: string): boolean =>
    separators.size === 0 ? /\s/.test(c) : separators.has(c);
  const pieces: string[] = [];
  let from = 0;
  for (let i = 0; i <= target.length; i++) {
    if (i < target.length && !separates(target[i] ?? '')) continue;
    pieces.push(target.slice(from, i));
    from = i + 1;
    if (pieces.length > maxPieces)
      throw limitExceeded(`The script built an array of more than ${maxPieces} items.`);
  }
  return pieces;
}

function trimmed(target: string, args: unknown[], start: boolean, end: boolean): string {
  const chars = new Set(args.flatMap((a) => [...toPsString(a)]));
  const trims = (c: string | undefined): boolean =>
    c !== undefined && (chars.size === 0 ? /\s/.test(c) : chars.has(c));
  let from = 0;
  let to = target.length;
  if (start) while (from < to && trims(target[from])) from++;
  if (end) while (to > from && trims(target[to - 1])) to--;
  return target.slice(from, to);
}

function stringMethod(
  target: string,
  name: string,
  args: unknown[],
  limits: Pick<RunLimits, 'maxStringLength' | 'maxCollectionItems'>,
): { value: unknown } | undefined {
  const lower = name.toLowerCase();
  const s = toPsString(args[0]);
  const tooLong = (length: number): void => {
    if (length > limits.maxStringLength)
      throw limitExceeded(
        `The script built a string of more than ${limits.maxStringLength} characters.`,
      );
  };
  switch (lower) {
    case 'toupper':
    case 'toupperinvariant':
      return { value: target.toUpperCase() };
    case 'tolower':
    case 'tolowerinvariant':
      return { value: target.toLowerCase() };
    case 'trim':
      return { value: trimmed(target, args, true, true) };
    case 'trimstart':
      return { value: trimmed(target, args, true, false) };
    case 'trimend':
      return { value: trimmed(target, args, false, true) };
    case 'contains':
      return { value: target.includes(s) };
    case 'startswith':
      return { value: target.startsWith(s) };
    case 'endswith':
      return { value: target.endsWith(s) };
    case 'indexof':
      return { value: target.indexOf(s) };
    case 'lastindexof':
      return { value: target.lastIndexOf(s) };
    case 'equals':
      return { value: target === s };
    case 'split':
      return { value: splitOnCharacters(target, args, limits.maxCollectionItems) };
    case 'tochararray':
      if (target.length > limits.maxCollectionItems)
        throw limitExceeded(
          `The script built an array of more than ${limits.maxCollectionItems} items.`,
        );
      return { value: [...target] };
    case 'substring': {
      const start = Number(args[0] ?? 0);
      const length = args.length > 1 ? Number(args[1]) : target.length - start;
      if (start < 0 || start > target.length)
        throw outOfRange(
          name,
          args.length,
          'startIndex cannot be larger than length of string.',
          'startIndex',
        );
      if (length < 0 || start + length > target.length)
        throw outOfRange(
          name,
          args.length,
          'Index and length must refer to a location within the string.',
          'length',
        );
      return { value: target.substr(start, length) };
    }
    case 'padleft':
    case 'padright': {
      const width = Number(args[0] ?? 0);
      tooLong(width);
      const fill = args.length > 1 ? toPsString(args[1]).slice(0, 1) : ' ';
      return {
        value: lower === 'padleft' ? target.padStart(width, fill) : target.padEnd(width, fill),
      };
    }
    case 'insert': {
      const at = Number(args[0] ?? 0);
      const text = toPsString(args[1]);
      tooLong(target.length + text.length);
      return { value: target.slice(0, at) + text + target.slice(at) };
    }
    case 'remove': {
      const at = Number(args[0] ?? 0);
      const count = args.length > 1 ? Number(args[1]) : target.length - at;
      return { value: target.slice(0, at) + target.slice(at + count) };
    }
    case 'replace': {
      const pieces = target.split(s);
      const replacement = toPsString(args[1]);
      // Checked before the string is built: one call could otherwise ask for terabytes.
      tooLong(target.length + (pieces.length - 1) * (replacement.length - s.length));
      return { value: pieces.join(replacement) };
    }
    default:
      return undefined;
  }
}

export function callMethod(
  target: unknown,
  name: string,
  args: unknown[],
  limits: Pick<RunLimits, 'maxStringLength' | 'maxCollectionItems'> = defaultRunLimits,
): unknown {
  // ParserStrings.InvokeMethodOnNull: any method, even ToString(), on $null.
  if (target === null || target === undefined)
    throw new PsError('You cannot call a method on a null-valued expression.', {
      category: 'InvalidOperation',
      errorId: 'InvokeMethodOnNull',
      exceptionType: 'RuntimeException',
      reach: 'statement',
    });
  const lower = name.toLowerCase();
  if (lower === 'tostring') {
    if (args.length > 0) return formatValue(target, toPsString(args[0]), toPsString);
    return toPsString(target);
  }
  if (lower === 'gettype') return runtimeType(target);
  let result: { value: unknown } | undefined;
  if (target instanceof Date) result = dateMethod(target, lower, args);
  else if (target instanceof TimeSpan) result = timeSpanMethod(target, lower, args);
  else if (typeof target === 'string') result = stringMethod(target, name, args, limits);
  else if (Array.isArray(target) && (lower === 'contains' || lower === 'indexof')) {
    // IList.Contains and Array.IndexOf compare with Equals: strings with their case.
    const index = target.findIndex(
      (item) => item === args[0] || (typeof item === 'number' && item === Number(args[0])),
    );
    result = { value: lower === 'contains' ? index !== -1 : index };
  }
  if (result) return result.value;
  throw new PsError(
    `Method invocation failed because [${typeOfValue(target)}] does not contain a method named '${name}'.`,
    {
      category: 'InvalidOperation',
      errorId: 'MethodNotFound',
      exceptionType: 'RuntimeException',
      reach: 'statement',
    },
  );
}
