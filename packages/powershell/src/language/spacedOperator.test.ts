import { expect, test } from 'vitest';
import { parseScript } from './parser.js';
import { PsParseError } from '../errors.js';

test('an operator with a space before it and a number after it is arithmetic', () => {
  const text = JSON.stringify(parseScript('$a /3').statements[0]);
  expect(text).toContain('"kind":"arithmetic"');
  expect(text).toContain('"operator":"/"');
});

// Known gap: after `$a +1` the parser is at the additive level, so a `*2` after it is not read.
test('a spaced operator followed by a higher-precedence one is still a parse error', () => {
  expect(() => parseScript('$a +1 *2')).toThrow(PsParseError);
});

test('[scriptblock] before a block is a cast of the script block', () => {
  expect(JSON.stringify(parseScript('$b = [scriptblock]{ 1 }').statements[0])).toContain(
    '"kind":"cast"',
  );
  expect(JSON.stringify(parseScript('$b = [scriptblock]{ 1 }').statements[0])).toContain(
    '"kind":"scriptblock"',
  );
});
