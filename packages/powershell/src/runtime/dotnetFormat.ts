/**
 * .NET format strings as Windows PowerShell 5.1 (.NET Framework, en-US culture) applies them in
 * `'{0:N2}' -f $x`, `$n.ToString('D3')` and `$date.ToString('yyyy-MM-dd')`: the standard numeric
 * formats (C, D, E, F, G, N, P, R, X), custom numeric formats (`0.00`, `#,##0`), the standard and
 * custom date formats, and TimeSpan's `c`, `g`, `G` and custom formats (Microsoft's ".NET format
 * strings" reference pages). Doubles are rounded as .NET Framework rounds them: on their 15-digit
 * decimal form, halves away from zero (so `'{0:N2}' -f 2.675` is 2.68, where JavaScript's
 * toFixed gives 2.67).
 */
import { PsError } from '../errors.js';
import { formatDate, isStandardDateFormat } from '../format/dateFormat.js';
import { numberText } from './numberText.js';
import { TimeSpan } from './values.js';

/** .NET's FormatException text for a bad format string, as PowerShell shows it. */
export function formatException(message = 'Input string was not in a correct format.'): PsError {
  return new PsError(message, {
    category: 'NotSpecified',
    errorId: 'FormatException',
    exceptionType: 'FormatException',
    reach: 'statement',
  });
}

/** The digits of |n| as a plain decimal string (no exponent), from its 15-significant-digit form. */
function decimalString(n: number): string {
  const [mantissa = '0', exponentText = '0'] = Math.abs(n).toPrecision(15).split('e');
  const exponent = Number(exponentText);
  const [intPart = '0', frac = ''] = mantissa.split('.');
  let digits = intPart + frac;
  let point = intPart.length + exponent;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** |n| rounded to `decimals` places, halves away from zero: [integer digits, fraction digits]. */
function roundedParts(n: number, decimals: number): [string, string] {
  const [intPart = '0', frac = ''] = decimalString(n).split('.');
  let digits = intPart + frac.padEnd(decimals, '0').slice(0, decimals);
  if ((frac[decimals] ?? '0') >= '5') {
    const chars = digits.split('');
    let i = chars.length - 1;
    for (; i >= 0; i--) {
      if (chars[i] === '9') chars[i] = '0';
      else {
        chars[i] = String(Number(chars[i]) + 1);
        break;
      }
    }
    digits = (i < 0 ? '1' : '') + chars.join('');
  }
  const intDigits = digits.slice(0, digits.length - decimals).replace(/^0+(?=\d)/, '') || '0';
  return [intDigits, digits.slice(digits.length - decimals)];
}

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function fixedText(n: number, decimals: number, grouped: boolean): string {
  const [intDigits, frac] = roundedParts(n, decimals);
  const body = (grouped ? group(intDigits) : intDigits) + (decimals > 0 ? `.${frac}` : '');
  const zero = /^[0.,]*$/.test(body);
  return n < 0 && !zero ? `-${body}` : body;
}

function standardNumber(n: number, letter: string, precisionText: string): string | null {
  const precision = precisionText === '' ? null : Number(precisionText);
  switch (letter.toLowerCase()) {
    case 'n':
      return fixedText(n, precision ?? 2, true);
    case 'f':
      return fixedText(n, precision ?? 2, false);
    case 'p':
      return `${fixedText(n * 100, precision ?? 2, true)} %`;
    case 'c': {
      const text = fixedText(Math.abs(n), precision ?? 2, true);
      return n < 0 ? `($${text})` : `$${text}`;
    }
    case 'd': {
      if (!Number.isInteger(n)) throw formatException('Format specifier was invalid.');
      const digits = String(Math.abs(n)).padStart(precision ?? 0, '0');
      return n < 0 ? `-${digits}` : digits;
    }
    case 'x': {
      if (!Number.isInteger(n)) throw formatException('Format specifier was invalid.');
      const hex = (n < 0 ? n >>> 0 : n).toString(16).padStart(precision ?? 0, '0');
      return letter === 'X' ? hex.toUpperCase() : hex;
    }
    case 'e': {
      const [mantissa = '0', exponentText = '0'] = n.toExponential(precision ?? 6).split('e');
      const exponent = Number(exponentText);
      const sign = exponent < 0 ? '-' : '+';
      return `${mantissa}${letter}${sign}${String(Math.abs(exponent)).padStart(3, '0')}`;
    }
    case 'g':
      return numberText(n, precision ?? 15);
    case 'r':
      return String(n);
    default:
      return null;
  }
}

/** Custom numeric formats: `0`, `#`, `.`, `,` (grouping), `%`, and literal text around them. */
function customNumber(n: number, format: string): string {
  const section = format.split(';')[0] ?? '';
  const first = section.search(/[0#]/);
  if (first === -1) return section;
  let last = first;
  for (let i = first; i < section.length; i++) if (/[0#.,]/.test(section[i] ?? '')) last = i;
  const prefix = section.slice(0, first);
  const suffix = section.slice(last + 1);
  const pattern = section.slice(first, last + 1);
  const [intPattern = '', fracPattern = ''] = pattern.split('.');
  const value = (prefix + suffix).includes('%') ? n * 100 : n;
  const maxDecimals = (fracPattern.match(/[0#]/g) ?? []).length;
  const minDecimals = (fracPattern.match(/0/g) ?? []).length;
  const minInt = (intPattern.match(/0/g) ?? []).length;
  let [intDigits, frac] = roundedParts(value, maxDecimals);
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  intDigits = intDigits === '0' && minInt === 0 ? '' : intDigits.padStart(minInt, '0');
  const body = (intPattern.includes(',') ? group(intDigits) : intDigits) + (frac ? `.${frac}` : '');
  const negative = value < 0 && /[1-9]/.test(body);
  return `${negative ? '-' : ''}${prefix}${body}${suffix}`;
}

export function formatNumber(n: number, format: string): string {
  const standard = /^([a-zA-Z])(\d{0,2})$/.exec(format);
  if (standard) {
    const text = standardNumber(n, standard[1] ?? '', standard[2] ?? '');
    if (text !== null) return text;
    throw formatException('Format specifier was invalid.');
  }
  return customNumber(n, format);
}

/**
 * DateTime.ToString(format) for `-f` and .ToString(): the one en-US date formatter
 * (format/dateFormat.ts); an unknown one-letter standard format is .NET's FormatException.
 */
function formatDateValue(date: Date, format: string): string {
  if (format.length === 1 && !isStandardDateFormat(format)) throw formatException();
  return formatDate(date, format.startsWith('%') ? format.slice(1) : format);
}

/** TimeSpan formats: `c` (the default ToString), `g`, `G`, and custom `hh\:mm\:ss` forms. */
export function formatTimeSpan(span: TimeSpan, format: string): string {
  const ticks = Math.round(span.milliseconds * 10_000);
  const negative = ticks < 0;
  const abs = Math.abs(ticks);
  const days = Math.floor(abs / 864_000_000_000);
  const hours = Math.floor(abs / 36_000_000_000) % 24;
  const minutes = Math.floor(abs / 600_000_000) % 60;
  const seconds = Math.floor(abs / 10_000_000) % 60;
  const fraction = String(abs % 10_000_000).padStart(7, '0');
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const sign = negative ? '-' : '';
  switch (format) {
    case '':
    case 'c':
    case 't':
    case 'T':
      return `${sign}${days > 0 ? `${days}.` : ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${fraction === '0000000' ? '' : `.${fraction}`}`;
    case 'g': {
      const trimmed = fraction.replace(/0+$/, '');
      return `${sign}${days > 0 ? `${days}:` : ''}${hours}:${pad(minutes)}:${pad(seconds)}${trimmed === '' ? '' : `.${trimmed}`}`;
    }
    case 'G':
      return `${sign}${days}:${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${fraction}`;
    default:
      break;
  }
  let out = '';
  for (let i = 0; i < format.length;) {
    const c = format[i] ?? '';
    if (c === '\\') {
      out += format[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = format.indexOf(c, i + 1);
      const end = close === -1 ? format.length : close;
      out += format.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    let run = 1;
    while (format[i + run] === c) run++;
    i += run;
    switch (c) {
      case 'd':
        out += pad(days, run);
        break;
      case 'h':
        out += pad(hours, run);
        break;
      case 'm':
        out += pad(minutes, run);
        break;
      case 's':
        out += pad(seconds, run);
        break;
      case 'f':
      case 'F': {
        const digits = fraction.slice(0, Math.min(run, 7));
        out += c === 'F' ? digits.replace(/0+$/, '') : digits;
        break;
      }
      default:
        // .NET refuses other unescaped characters in a custom TimeSpan format.
        throw formatException();
    }
  }
  return out;
}

/** A value formatted with a format string, as its .NET type's ToString(format) does. */
export function formatValue(value: unknown, format: string, plain: (v: unknown) => string): string {
  if (format === '') return plain(value);
  if (typeof value === 'number') return formatNumber(value, format);
  if (value instanceof Date) return formatDateValue(value, format);
  if (value instanceof TimeSpan) return formatTimeSpan(value, format);
  return plain(value);
}
