/**
 * .NET DateTime formatting in the en-US culture, as Get-Date -Format and -UFormat use it.
 * Custom format strings: "Custom date and time format strings" (learn.microsoft.com, .NET);
 * standard formats (one letter): "Standard date and time format strings", en-US patterns;
 * -UFormat: the Get-Date reference page's table of UFormat specifiers (Windows PowerShell 5.1).
 * Dates are the host's local time; `zzz`/`K` give the local offset.
 */

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** en-US patterns of the standard format letters (DateTimeFormatInfo for en-US). */
const standardFormats: Record<string, string> = {
  d: 'M/d/yyyy',
  D: 'dddd, MMMM d, yyyy',
  f: 'dddd, MMMM d, yyyy h:mm tt',
  F: 'dddd, MMMM d, yyyy h:mm:ss tt',
  g: 'M/d/yyyy h:mm tt',
  G: 'M/d/yyyy h:mm:ss tt',
  m: 'MMMM d',
  M: 'MMMM d',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'h:mm tt',
  T: 'h:mm:ss tt',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  y: 'MMMM yyyy',
  Y: 'MMMM yyyy',
};

/** The local offset as .NET prints it: `+01:00` (zzz), `+01` (zz), `+1` (z). */
function offset(date: Date, width: 1 | 2 | 3): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  if (width === 1) return `${sign}${hours}`;
  if (width === 2) return `${sign}${pad(hours, 2)}`;
  return `${sign}${pad(hours, 2)}:${pad(abs % 60, 2)}`;
}

/** One run of a custom specifier letter (`yyyy`, `MM`, `tt`...) as text. */
function field(date: Date, letter: string, count: number): string {
  const h = date.getHours();
  switch (letter) {
    case 'd':
      if (count === 1) return String(date.getDate());
      if (count === 2) return pad(date.getDate(), 2);
      return count === 3
        ? (dayNames[date.getDay()] ?? '').slice(0, 3)
        : (dayNames[date.getDay()] ?? '');
    case 'M':
      if (count <= 2) return pad(date.getMonth() + 1, count);
      return count === 3
        ? (monthNames[date.getMonth()] ?? '').slice(0, 3)
        : (monthNames[date.getMonth()] ?? '');
    case 'y': {
      const year = date.getFullYear();
      if (count === 1) return String(year % 100);
      if (count === 2) return pad(year % 100, 2);
      return pad(year, count);
    }
    case 'h':
      return pad(h % 12 === 0 ? 12 : h % 12, Math.min(count, 2));
    case 'H':
      return pad(h, Math.min(count, 2));
    case 'm':
      return pad(date.getMinutes(), Math.min(count, 2));
    case 's':
      return pad(date.getSeconds(), Math.min(count, 2));
    case 'f':
    case 'F': {
      const digits = pad(date.getMilliseconds(), 3).padEnd(7, '0').slice(0, Math.min(count, 7));
      return letter === 'F' ? digits.replace(/0+$/, '') : digits;
    }
    case 't':
      return count === 1 ? (h < 12 ? 'A' : 'P') : h < 12 ? 'AM' : 'PM';
    case 'z':
      return offset(date, Math.min(count, 3) as 1 | 2 | 3);
    case 'K':
      return offset(date, 3);
    case 'g':
      return 'A.D.';
    default:
      return letter.repeat(count);
  }
}

const specifiers = new Set(['d', 'M', 'y', 'h', 'H', 'm', 's', 'f', 'F', 't', 'z', 'K', 'g']);

/** A custom format string: specifier runs, quoted literals, `\x` escapes, `%x` single specifiers. */
function formatCustom(date: Date, format: string): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i] ?? '';
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      const stop = end === -1 ? format.length : end;
      out += format.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '\\') {
      out += format[i + 1] ?? '';
      i += 2;
    } else if (c === '%') {
      i++;
    } else if (specifiers.has(c)) {
      let j = i;
      while (format[j] === c) j++;
      out += field(date, c, j - i);
      i = j;
    } else {
      out += c; // ':' and '/' are the en-US separators themselves
      i++;
    }
  }
  return out;
}

/** True when `letter` is one of .NET's standard date format letters (en-US). */
export function isStandardDateFormat(letter: string): boolean {
  return letter === 'U' || standardFormats[letter] !== undefined;
}

/** DateTime.ToString(format) in en-US: one letter is a standard format, longer is custom. */
export function formatDate(date: Date, format: string): string {
  if (format.length === 1) {
    if (format === 'U') {
      const utc = new Date(date.getTime() + date.getTimezoneOffset() * 60_000);
      return formatCustom(utc, 'dddd, MMMM d, yyyy h:mm:ss tt');
    }
    const pattern = standardFormats[format];
    if (pattern !== undefined) return formatCustom(date, pattern);
  }
  return formatCustom(date, format);
}

/** A DateTime as Out-Default shows it in en-US: the long date and the long time. */
export function longDateTime(date: Date): string {
  return formatDate(date, 'dddd, MMMM d, yyyy h:mm:ss tt');
}

/** The day of the year, 1-based. */
function dayOfYear(date: Date): number {
  const start = Date.UTC(date.getFullYear(), 0, 1);
  const day = Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  return (day - start) / 86_400_000 + 1;
}

/** Get-Date -UFormat: the UNIX-style specifiers of the Get-Date reference (Windows PowerShell 5.1). */
const uformat: Record<string, (d: Date) => string> = {
  a: (d) => formatDate(d, 'ddd'),
  A: (d) => formatDate(d, 'dddd'),
  b: (d) => formatDate(d, 'MMM'),
  B: (d) => formatDate(d, 'MMMM'),
  C: (d) => pad(Math.floor(d.getFullYear() / 100), 2),
  d: (d) => formatDate(d, 'dd'),
  D: (d) => formatDate(d, 'MM/dd/yy'),
  e: (d) => String(d.getDate()).padStart(2, ' '),
  h: (d) => formatDate(d, 'MMM'),
  H: (d) => formatDate(d, 'HH'),
  I: (d) => formatDate(d, 'hh'),
  j: (d) => pad(dayOfYear(d), 3),
  k: (d) => String(d.getHours()).padStart(2, ' '),
  l: (d) => formatDate(d, 'h').padStart(2, ' '),
  m: (d) => formatDate(d, 'MM'),
  M: (d) => formatDate(d, 'mm'),
  n: () => '\n',
  p: (d) => formatDate(d, 'tt'),
  r: (d) => formatDate(d, 'hh:mm:ss tt'),
  R: (d) => formatDate(d, 'HH:mm'),
  S: (d) => formatDate(d, 'ss'),
  s: (d) => String(Math.floor(d.getTime() / 1000)),
  t: () => '\t',
  T: (d) => formatDate(d, 'HH:mm:ss'),
  u: (d) => String(d.getDay() === 0 ? 7 : d.getDay()),
  w: (d) => String(d.getDay()),
  y: (d) => formatDate(d, 'yy'),
  Y: (d) => formatDate(d, 'yyyy'),
  Z: (d) => offset(d, 2),
};

export function formatUFormat(date: Date, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i] ?? '';
    if (c !== '%' || i === format.length - 1) {
      out += c;
      continue;
    }
    const letter = format[++i] ?? '';
    const fn = uformat[letter];
    out += fn ? fn(date) : letter;
  }
  return out;
}
