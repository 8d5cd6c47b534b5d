import type { TokenKind } from './lexer.js';

/** The tokens an expression can start with (a command argument or a unary operand being one). */
export const expressionStart: TokenKind[] = [
  'variable',
  'string',
  'expandable',
  'number',
  'lparen',
  'atparen',
  'athash',
  'dollarparen',
  'lbrace',
  'bang',
  'type',
];
