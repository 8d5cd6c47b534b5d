import { expect, test } from 'vitest';
import { tokenize } from './lexer.js';

const numbers = (source: string): number[] =>
  tokenize(source)
    .filter((t) => t.kind === 'number')
    .map((t) => t.number);

test('exponent, hexadecimal and size-suffixed numbers are one number token each', () => {
  expect(numbers('1e3 1.5e2 2E-1 0x10 0xff -0x10 0x1KB 1.5mb')).toEqual([
    1000, 150, 0.2, 16, 255, -16, 1024, 1572864,
  ]);
});

test('a bareword that starts like a number stays a word', () => {
  expect(numbers('Get-VM 1e3abc 0x1g')).toEqual([]);
});
