/**
 * Small parsing rules kept out of expressionParser.ts. `$a /3`, `$a *2`, `$a %4`, `$a +1`, `$a
 * +$b`: an arithmetic operator with a space before it and its operand right after it is one word
 * token to the lexer (it could be an argument such as `/s` or `+1`); in an expression it is the
 * operator and its operand (about_Parsing: expression mode; about_Arithmetic_Operators: spaces
 * around operators are optional).
 */
import type { Token } from './lexer.js';
import { tokenize } from './lexer.js';
import { expressionStart } from './expressionStart.js';

/**
 * Splits the word token at `index` in place when it is an operator glued to its right operand
 * (`+1`, `*2`, `/$n`, `%$x.Count`) and has a space before it, or a negative number after a
 * value (`$x -1`): into the operator and the tokens of
 * the operand, so the expression parser reads the operand at the operator's precedence
 * (`$a +1 *2` is `$a + (1 * 2)`). Returns whether it split.
 */
export function splitSpacedOperator(
  tokens: Token[],
  index: number,
  operators: readonly string[],
): boolean {
  const token = tokens[index];
  if (token?.kind === 'number' && token.text.startsWith('-') && operators.includes('-')) {
    // `$x -1` is a subtraction, as in PowerShell: the lexer's number token carries the minus.
    const number: Token = { ...token, text: token.text.slice(1), number: -token.number };
    tokens.splice(
      index,
      1,
      { ...token, kind: 'word', text: '-', end: token.start + 1 },
      {
        ...number,
        start: token.start + 1,
        spaceBefore: false,
      },
    );
    return true;
  }
  if (token?.kind === 'word' && token.spaceBefore && token.text.startsWith('..'))
    return operators.includes('..') && splitRange(tokens, index, token);
  if (token?.kind !== 'word' || !token.spaceBefore || token.text.length < 2) return false;
  const operator = token.text[0] ?? '';
  const rest = token.text.slice(1);
  if (!'+*/%'.includes(operator) || !operators.includes(operator)) return false;
  if (!/^(?:\$[A-Za-z_{]|\d|\.\d)/.test(rest)) return false;
  let operand: Token[];
  try {
    operand = tokenize(rest).filter((t) => t.kind !== 'eof');
  } catch {
    return false;
  }
  const offset = token.start + 1;
  const shifted = operand.map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
  const operatorToken: Token = { ...token, text: operator, end: token.start + 1 };
  tokens.splice(index, 1, operatorToken, ...shifted);
  return true;
}

/** `1 ..3`, `1 .. 3`, `1 ..$n`: the range operator with a space before it (about_Operators). */
function splitRange(tokens: Token[], index: number, token: Token): boolean {
  const rest = token.text.slice(2);
  const range: Token = { ...token, kind: 'range', text: '..', end: token.start + 2 };
  if (rest === '') {
    tokens[index] = range;
    return true;
  }
  if (!/^(?:\$[A-Za-z_{]|-?\d)/.test(rest)) return false;
  const operand = operandTokens(rest, token.start + 2);
  if (!operand) return false;
  tokens.splice(index, 1, range, ...operand);
  return true;
}

/** The tokens of `text`, an operand glued to its operator, at `offset` in the script. */
function operandTokens(text: string, offset: number): Token[] | null {
  try {
    return tokenize(text)
      .filter((t) => t.kind !== 'eof')
      .map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
  } catch {
    return null;
  }
}

/**
 * Whether `[type]` before `next` is a cast: before a value, and before `{` only as
 * `[scriptblock]{ }` (about_Operators, cast operator; elsewhere `[type]` before a block stays text).
 */
export function castApplies(type: Token, next: Token): boolean {
  if (next.kind === 'lbrace') return type.text.toLowerCase() === 'scriptblock';
  return expressionStart.includes(next.kind);
}
