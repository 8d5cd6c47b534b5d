/**
 * Operators beyond comparison and arithmetic: the format operator `-f` (about_Operators), `-join`
 * (about_Join), unary `-split` (about_Split), `-is`, `-isnot`, `-as` (about_Type_Operators),
 * `-xor` (about_Logical_Operators) and negation.
 */
import type { BinaryNode, UnaryNode } from '../language/ast.js';
import { PsError } from '../errors.js';
import { cast, toNumberOrFail } from './arithmetic.js';
import type { RunBudget } from './budget.js';
import { limitExceeded } from './budget.js';
import { compositeFormat } from './compositeFormat.js';
import { isOfType } from './typeConversion.js';
import { isTruthy, toArray, toPsString } from './values.js';

/** The type an `-is`/`-as` right operand names: `[int]` as written, or a type name string. */
function typeOperand(right: unknown): string {
  return toPsString(right).replace(/^\[|\]$/g, '');
}

/** Items joined with a separator, the length checked as it grows (`-join`, `[string]::Join`). */
export function joined(
  items: unknown[],
  separator: string,
  budget: Pick<RunBudget, 'limits'>,
): string {
  const max = budget.limits.maxStringLength;
  let out = '';
  for (const [i, item] of items.entries()) {
    out += (i > 0 ? separator : '') + toPsString(item);
    if (out.length > max)
      throw limitExceeded(`The script built a string of more than ${max} characters.`);
  }
  return out;
}

/** The operators of this file; undefined for the others (evaluate.ts handles those). */
export function binaryOperator(
  operator: BinaryNode['operator'],
  left: unknown,
  right: unknown,
  _caseSensitive: boolean,
  budget: RunBudget,
): { value: unknown } | undefined {
  switch (operator) {
    case 'f': {
      const max = budget.limits.maxStringLength;
      const text = compositeFormat(toPsString(left), toArray(right), max, () =>
        limitExceeded(`The script built a string of more than ${max} characters.`),
      );
      return { value: text };
    }
    case 'join':
      return { value: joined(toArray(left), toPsString(right), budget) };
    case 'is':
      return { value: isOfType(left, typeOperand(right)) };
    case 'isnot':
      return { value: !isOfType(left, typeOperand(right)) };
    case 'as':
      try {
        return { value: cast(typeOperand(right), left) };
      } catch (error) {
        // `-as` gives $null when the conversion fails (about_Type_Operators).
        if (error instanceof PsError && error.errorId !== 'TypeNotFound') return { value: null };
        throw error;
      }
    case 'xor':
      return { value: isTruthy(left) !== isTruthy(right) };
    default:
      return undefined;
  }
}

export function unaryOperator(
  operator: Exclude<UnaryNode['operator'], 'not'>,
  operand: unknown,
  budget: RunBudget,
): unknown {
  switch (operator) {
    case 'join':
      return joined(toArray(operand), '', budget);
    case 'split': {
      // Unary -split splits on white space and drops the empty pieces (about_Split).
      const pieces: string[] = [];
      for (const item of toArray(operand)) {
        const text = toPsString(item);
        let from = -1;
        for (let i = 0; i <= text.length; i++) {
          const space = i === text.length || /\s/.test(text[i] ?? '');
          if (!space && from === -1) from = i;
          if (space && from !== -1) {
            pieces.push(text.slice(from, i));
            from = -1;
            budget.checkCollection(pieces.length);
          }
        }
      }
      return pieces;
    }
    case 'negate':
      return -toNumberOrFail(Array.isArray(operand) && operand.length === 1 ? operand[0] : operand);
  }
}
