/**
 * .NET composite formatting (String.Format), behind PowerShell's `-f` operator (about_Operators,
 * "Format operator -f") and `[string]::Format`: `{index[,alignment][:format]}`, `{{` and `}}` for
 * braces. A bad format string is PowerShell's FormatError record, "Error formatting a string: <the
 * .NET message>." (ExtendedTypeSystem.resx FormatError; .NET's message ends with its own period).
 */
import { PsError } from '../errors.js';
import { formatValue } from './dotnetFormat.js';
import { toPsString } from './values.js';

const badFormat = 'Input string was not in a correct format.';
const badIndex =
  'Index (zero based) must be greater than or equal to zero and less than the size of the argument list.';

function formatError(format: string, detail: string): PsError {
  return new PsError(`Error formatting a string: ${detail}.`, {
    category: 'InvalidOperation',
    errorId: 'FormatError',
    exceptionType: 'RuntimeException',
    target: format,
    targetType: 'String',
    reach: 'statement',
  });
}

/** `format -f args`; `maxLength` bounds the text built (the run's string limit). */
export function compositeFormat(
  format: string,
  args: readonly unknown[],
  maxLength: number,
  tooLong: () => Error,
): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i] ?? '';
    if (c === '}') {
      if (format[i + 1] !== '}') throw formatError(format, badFormat);
      out += '}';
      i += 2;
      continue;
    }
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    if (format[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = format.indexOf('}', i);
    if (close === -1) throw formatError(format, badFormat);
    const item = /^\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?(?::(.*))?$/s.exec(format.slice(i + 1, close));
    if (!item) throw formatError(format, badFormat);
    const index = Number(item[1]);
    if (index >= args.length) throw formatError(format, badIndex);
    const alignment = Number(item[2] ?? 0);
    let text: string;
    try {
      text = formatValue(args[index], item[3] ?? '', toPsString);
    } catch (error) {
      if (error instanceof PsError) throw formatError(format, error.message.replace(/\.$/, ''));
      throw error;
    }
    if (Math.abs(alignment) > maxLength) throw tooLong();
    out += alignment < 0 ? text.padEnd(-alignment) : text.padStart(alignment);
    if (out.length > maxLength) throw tooLong();
    i = close + 1;
  }
  return out;
}
