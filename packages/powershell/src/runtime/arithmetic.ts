/**
 * Arithmetic (`+ - * / %`, about_Arithmetic_Operators), the range operator (`1..10`,
 * about_Operators) and casts (`[void]`, `[int]`, `[string]`, `[bool]`, `[array]`, about_Type_Conversion).
 */
import type { ArithmeticNode } from '../language/ast.js';
import { PsError } from '../errors.js';
import type { RunBudget } from './budget.js';
import { PsHashtable, addHashtables } from './hashtable.js';
import { convertToType, fullTypeName } from './typeConversion.js';
import { TimeSpan, isTruthy, toArray, toPsString } from './values.js';

/**
 * A value that cannot become a number. The text is PowerShell's conversion error as Windows
 * PowerShell 5.1 prints it (`Cannot convert value "abc" to type "System.Int32". Error: "Input string
 * was not in a correct format."`, ExtendedTypeSystem InvalidCastFromStringToInteger as seen in
 * public transcripts), naming the target type: System.Int32, or System.Double for [double] (also
 * for [decimal], [single] and [float] today, where PowerShell names their own types).
 */
function notANumber(
  value: unknown,
  typeName = 'System.Int32',
  reason = 'Input string was not in a correct format.',
): PsError {
  return new PsError(
    `Cannot convert value "${toPsString(value)}" to type "${typeName}". Error: "${reason}"`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidCastFromStringToInteger',
      exceptionType: 'RuntimeException',
      target: '',
      targetType: '',
      reach: 'statement',
    },
  );
}

export function toNumberOrFail(value: unknown, typeName?: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  throw notANumber(value, typeName);
}

/**
 * `[int]`: the number rounded half to even, or .NET's overflow text when it is beyond Int32
 * (Int32.Parse's OverflowException message; the error id is ours, as for a bad format).
 */
function toInt32(value: unknown): number {
  const n = roundHalfEven(toNumberOrFail(value, 'System.Int32'));
  if (n > 2147483647 || n < -2147483648)
    throw notANumber(
      value,
      'System.Int32',
      'Value was either too large or too small for an Int32.',
    );
  return n;
}

export function arithmetic(
  operator: ArithmeticNode['operator'],
  left: unknown,
  right: unknown,
  budget: RunBudget,
): unknown {
  const dated = dateArithmetic(operator, left, right);
  if (dated !== undefined) return dated;
  if (operator === '+') {
    // The left operand decides: an array gets the right one appended, a string is concatenated.
    if (Array.isArray(left)) {
      budget.checkCollection(left.length + toArray(right).length);
      const items: unknown[] = left;
      return items.concat(Array.isArray(right) ? (right as unknown[]) : [right]);
    }
    if (left instanceof PsHashtable) {
      // Adding copies both tables: `$h += @{...}` in a loop is quadratic, so the copy is charged
      // to the step budget (one step per 16 entries) and such a loop ends at the step limit.
      const copied = left.count + (right instanceof PsHashtable ? right.count : 0);
      for (let i = 0; i < copied; i += 16) budget.step();
      const sum = addHashtables(left, right);
      budget.checkCollection(sum.count);
      return sum;
    }
    if (typeof left === 'string') {
      const text = toPsString(right);
      budget.checkString(left.length + text.length);
      return left + text;
    }
    if (left === null || left === undefined) return right;
    return toNumberOrFail(left) + toNumberOrFail(right);
  }
  if (operator === '*' && typeof left === 'string') {
    const times = Math.max(0, Math.trunc(toNumberOrFail(right)));
    budget.checkString(left.length * times);
    return left.repeat(times);
  }
  const a = toNumberOrFail(left);
  const b = toNumberOrFail(right);
  switch (operator) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      if (b === 0)
        // RuntimeException (DivideByZeroException): "Attempted to divide by zero."
        throw new PsError('Attempted to divide by zero.', {
          category: 'NotSpecified',
          errorId: 'RuntimeException',
          exceptionType: 'RuntimeException',
          reach: 'statement',
        });
      return operator === '/' ? a / b : a % b;
  }
}

/** DateTime and TimeSpan arithmetic (.NET's operators): date - date, date +/- span, span +/- span. */
function dateArithmetic(operator: string, left: unknown, right: unknown): unknown {
  if (operator !== '+' && operator !== '-') return undefined;
  const sign = operator === '+' ? 1 : -1;
  if (left instanceof Date) {
    if (right instanceof TimeSpan) return new Date(left.getTime() + sign * right.milliseconds);
    if (right instanceof Date && operator === '-')
      return new TimeSpan(left.getTime() - right.getTime());
  }
  if (left instanceof TimeSpan && right instanceof TimeSpan)
    return new TimeSpan(left.milliseconds + sign * right.milliseconds);
  return undefined;
}

export function range(from: unknown, to: unknown, budget: RunBudget): number[] {
  const a = Math.trunc(toNumberOrFail(from));
  const b = Math.trunc(toNumberOrFail(to));
  budget.checkCollection(Math.abs(b - a) + 1);
  const items: number[] = [];
  const step = a <= b ? 1 : -1;
  for (let i = a; ; i += step) {
    items.push(i);
    if (i === b) return items;
  }
}

/** .NET rounds half to even when it converts a fraction to an integer ([int]2.5 is 2). */
function roundHalfEven(n: number): number {
  const floor = Math.floor(n);
  const diff = n - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function cast(type: string, value: unknown): unknown {
  switch (type.toLowerCase()) {
    case 'void':
      return null;
    case 'int':
    case 'int32':
    case 'system.int32':
      return toInt32(value);
    case 'int64':
    case 'long':
    case 'byte':
    case 'uint32':
    case 'uint64':
    case 'system.int64':
      return roundHalfEven(toNumberOrFail(value));
    case 'double':
    case 'decimal':
    case 'single':
    case 'float':
    case 'system.double':
      return toNumberOrFail(value, 'System.Double');
    case 'string':
    case 'system.string':
      return value === null || value === undefined ? '' : toPsString(value);
    case 'bool':
    case 'boolean':
    case 'system.boolean':
      return isTruthy(value);
    case 'array':
    case 'object[]':
    case 'system.object[]':
      return toArray(value);
    default: {
      const converted = convertToType(value, type, cast);
      if (converted) return converted.value;
      if (type.includes('.') || knownTypes.has(fullTypeName(type))) return value;
      // ParserStrings.TypeNotFound, as PowerShell reports a cast to a type it does not know.
      throw new PsError(`Unable to find type [${type}].`, {
        category: 'InvalidOperation',
        errorId: 'TypeNotFound',
        exceptionType: 'RuntimeException',
        target: type,
        targetType: 'TypeName',
        reach: 'statement',
      });
    }
  }
}

/** Types a cast leaves the value as it is (it already is one). */
const knownTypes = new Set([
  'system.decimal',
  'system.single',
  'system.object',
  'system.management.automation.psobject',
  'system.management.automation.switchparameter',
  'system.text.regularexpressions.regex',
]);
