/**
 * Parse errors of the statements, in PowerShell's words (ParserStrings.resx of
 * PowerShell/PowerShell, resource names as error ids) and at PowerShell's positions.
 */
import { createTestHost } from '@hvm/engine/testing';
import { expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

const cases: [string, string, string][] = [
  [
    'if ($true) {',
    "Missing closing '}' in statement block or type definition.",
    'MissingEndCurlyBrace',
  ],
  [
    'if $true { }',
    "Missing '(' after 'if' in if statement.",
    'MissingOpenParenthesisInIfStatement',
  ],
  ['if () { }', "Missing condition in if statement after 'if ('.", 'IfStatementMissingCondition'],
  ['if ($true) ', 'Missing statement block after if ( condition ).', 'MissingStatementBlock'],
  [
    'if ($true) { } else',
    "Missing statement block after 'else' keyword.",
    'MissingStatementBlockAfterElse',
  ],
  [
    'foreach (x in 1) { }',
    'Missing variable name after foreach. The correct form is: foreach ($a in $b) {...}',
    'MissingVariableNameAfterForeach',
  ],
  [
    'foreach ($x 1) { }',
    "Missing 'in' after variable in foreach loop. The correct form is: foreach ($a in $b) {...}",
    'MissingInInForeach',
  ],
  ['while ($true)', 'Missing statement body in while loop.', 'MissingLoopStatement'],
  ['do { }', 'Missing while or until keyword in do loop.', 'MissingWhileOrUntilInDoWhile'],
  ['try { }', 'The Try statement is missing its Catch or Finally block.', 'MissingCatchOrFinally'],
  [
    'try { } catch { } catch [System.Exception] { }',
    'Catch block must be the last catch block.',
    'EmptyCatchNotLast',
  ],
  ['function { }', 'Missing name after function keyword.', 'MissingNameAfterKeyword'],
  ['function f', 'Missing function body in function declaration.', 'MissingFunctionBody'],
  [
    'function f($a, $a) { }',
    'Duplicate parameter $a in parameter list.',
    'DuplicateFormalParameter',
  ],
];

for (const [script, message, id] of cases) {
  test(`${JSON.stringify(script)}: ${id}`, async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, script);
    expect(r.errors.map((e) => [e.message, e.fullyQualifiedErrorId])).toEqual([[message, id]]);
    expect(r.exitCode).toBe(1);
  });
}

test("a missing '}' is reported at the opening brace, as Windows PowerShell does", async () => {
  const { host } = await createTestHost();
  const r = await runPowerShell(host, 'if (1 -eq 1) {');
  expect(r.output).toBe(
    [
      'At line:1 char:14',
      '+ if (1 -eq 1) {',
      '+              ~',
      "Missing closing '}' in statement block or type definition.",
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : MissingEndCurlyBrace',
      '',
    ].join('\n'),
  );
});
