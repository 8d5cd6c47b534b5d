/** Parse errors kept out of expressionParser.ts: ParserStrings.resx messages built from tokens. */
import { PsParseError } from '../errors.js';
import type { Token } from './lexer.js';

/** The place right after `token` (Parser.cs reports many errors "After" a token). */
export function after(token: Token): Token {
  return { ...token, start: token.end, end: token.end + 1 };
}

/**
 * ParserStrings.UnexpectedToken, "Unexpected token '{0}' in expression or statement.", with the
 * token as written in the script (`-foo`, `'b'`), as PowerShell's parser quotes the token's text.
 */
export function unexpectedTokenError(source: string, token: Token): PsParseError {
  const text = source.slice(token.start, token.end) || token.text;
  return new PsParseError(
    `Unexpected token '${text}' in expression or statement.`,
    'UnexpectedToken',
    {
      start: token.start,
      end: Math.max(token.end, token.start + 1),
    },
  );
}

/** ParserStrings.ExpectedValueExpression after a binary operator with nothing after it. */
export function missingOperandError(
  source: string,
  operator: Token,
  next: Token,
): PsParseError | null {
  if (next.kind !== 'eof') return null;
  const text = source.slice(operator.start, operator.end);
  return new PsParseError(
    `You must provide a value expression following the '${text}' operator.`,
    'ExpectedValueExpression',
    { start: next.start, end: next.start + 1 },
  );
}
