/** The few .NET methods scripts use on our values: DateTime.AddDays..., String.ToUpper..., ToString(). */
import { PsError } from '../errors.js';
import type { RunLimits } from './budget.js';
import { defaultRunLimits, limitExceeded } from './budget.js';
import { TimeSpan, toPsString } from './values.js';

const day = 86_400_000;
const dateMethods: Record<string, number> = {
  adddays: day,
  addhours: 3_600_000,
  addminutes: 60_000,
  addseconds: 1000,
  addmilliseconds: 1,
};

export function callMethod(
  target: unknown,
  name: string,
  args: unknown[],
  limits: Pick<RunLimits, 'maxStringLength'> = defaultRunLimits,
): unknown {
  const lower = name.toLowerCase();
  const n = Number(args[0] ?? 0);
  const s = toPsString(args[0]);
  if (lower === 'tostring') return toPsString(target);
  if (target instanceof Date) {
    const unit = dateMethods[lower];
    if (unit !== undefined) return new Date(target.getTime() + n * unit);
    if (lower === 'subtract' && args[0] instanceof Date)
      return new TimeSpan(target.getTime() - args[0].getTime());
  }
  if (typeof target === 'string') {
    switch (lower) {
      case 'toupper':
        return target.toUpperCase();
      case 'tolower':
        return target.toLowerCase();
      case 'trim':
        return target.trim();
      case 'contains':
        return target.includes(s);
      case 'startswith':
        return target.startsWith(s);
      case 'endswith':
        return target.endsWith(s);
      case 'replace': {
        const pieces = target.split(s);
        const replacement = toPsString(args[1]);
        // Checked before the string is built: one call could otherwise ask for terabytes.
        const length = target.length + (pieces.length - 1) * (replacement.length - s.length);
        if (length > limits.maxStringLength)
          throw limitExceeded(
            `The script built a string of more than ${limits.maxStringLength} characters.`,
          );
        return pieces.join(replacement);
      }
      default:
        break;
    }
  }
  throw new PsError(
    `Method invocation failed because [${typeName(target)}] does not contain a method named '${name}'.`,
    {
      category: 'InvalidOperation',
      errorId: 'MethodNotFound',
      exceptionType: 'RuntimeException',
      reach: 'statement',
    },
  );
}

function typeName(value: unknown): string {
  if (value instanceof Date) return 'System.DateTime';
  if (typeof value === 'string') return 'System.String';
  if (typeof value === 'number') return 'System.Int32';
  if (value instanceof TimeSpan) return 'System.TimeSpan';
  return 'System.Object';
}
