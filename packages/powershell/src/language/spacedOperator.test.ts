import { expect, test } from 'vitest';
import { parseScript } from './parser.js';
import { PsParseError } from '../errors.js';

test('an operator with a space before it and a number after it is arithmetic', () => {
  const text = JSON.stringify(parseScript('$a /3').statements[0]);
  expect(text).toContain('"kind":"arithmetic"');
  expect(text).toContain('"operator":"/"');
});

test('a spaced operator followed by a higher-precedence one keeps the precedence', () => {
  // $a + (1 * 2): the `*` binds tighter (about_Operator_Precedence).
  const statement = parseScript('$a +1 *2').statements[0];
  const text = JSON.stringify(statement);
  expect(text).toMatch(/"operator":"\+".*"right":\{"kind":"arithmetic","operator":"\*"/);
});

test('an operator glued to a variable after a space is arithmetic too', () => {
  expect(JSON.stringify(parseScript('$a *$b').statements[0])).toContain('"operator":"*"');
  expect(() => parseScript('$a +$b.Count /$c')).not.toThrow();
});

test('a word that is not an operator and its operand stays a parse error', () => {
  expect(() => parseScript('$a +x')).toThrow(PsParseError);
});

test('[scriptblock] before a block is a cast of the script block', () => {
  expect(JSON.stringify(parseScript('$b = [scriptblock]{ 1 }').statements[0])).toContain(
    '"kind":"cast"',
  );
  expect(JSON.stringify(parseScript('$b = [scriptblock]{ 1 }').statements[0])).toContain(
    '"kind":"scriptblock"',
  );
});
