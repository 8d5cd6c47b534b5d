/**
 * Small parsing rules kept out of expressionParser.ts. `$a /3`, `$a *2`, `$a %4`, `$a +1`: an arithmetic operator with a space before it and a number
 * right after it is one word token to the lexer (it could be an argument such as `/s`); in an
 * expression it is the operator and the number (about_Arithmetic_Operators: spaces around
 * operators are optional).
 */
import type { Expression } from './ast.js';
import type { Token } from './lexer.js';
import { expressionStart } from './expressionParser.js';

export interface SpacedOperator {
  operator: '+' | '*' | '/' | '%';
  value: number;
}

export function spacedOperator(token: Token, operators: readonly string[]): SpacedOperator | null {
  if (token.kind !== 'word' || !token.spaceBefore) return null;
  const match = /^([+*/%])(\d+(?:\.\d+)?)$/.exec(token.text);
  if (!match || !operators.includes(match[1] ?? '')) return null;
  return { operator: match[1] as SpacedOperator['operator'], value: Number(match[2]) };
}

/** `left <operator> number`, the number (with any `.Member` or `[index]` after it) from the token. */
export function spacedArithmetic(
  left: Expression,
  token: Token,
  spaced: SpacedOperator,
  postfix: (value: Expression) => Expression,
): Expression {
  const right = postfix({
    kind: 'literal',
    value: spaced.value,
    start: token.start + 1,
    end: token.end,
  });
  return {
    kind: 'arithmetic',
    operator: spaced.operator,
    left,
    right,
    start: left.start,
    end: right.end,
  };
}

/**
 * Whether `[type]` before `next` is a cast: before a value, and before `{` only as
 * `[scriptblock]{ }` (about_Operators, cast operator; elsewhere `[type]` before a block stays text).
 */
export function castApplies(type: Token, next: Token): boolean {
  if (next.kind === 'lbrace') return type.text.toLowerCase() === 'scriptblock';
  return expressionStart.includes(next.kind);
}
