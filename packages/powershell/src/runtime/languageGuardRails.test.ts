/**
 * The shell language stays inside the run's budget: switch items, trap handlers and function
 * pipelines are steps; hashtables, Split, -split, -join, [string]::Join, -f alignment and padding
 * are held to the array and string limits while they are built, not after.
 */
import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import type { RunLimits } from '../index.js';
import { runPowerShell } from '../index.js';

async function run(script: string, limits: Partial<RunLimits>) {
  const { host } = await createTestHost();
  return runPowerShell(host, script, { limits });
}

const limitIds = (r: { errors: { fullyQualifiedErrorId: string }[] }): string[] =>
  r.errors.map((e) => e.fullyQualifiedErrorId);

describe('endless shell statements end at the step limit', () => {
  const endless = [
    'while ($true) { switch (1) { 1 { continue } } }',
    ':outer while ($true) { foreach ($i in 1..3) { continue outer } }',
    'trap { continue }\nwhile ($true) { 1/0 }',
    'filter Spin { while ($true) { } }\n1 | Spin',
    'function f { [CmdletBinding()] param() process { while ($true) { } } }\nf',
    // Each += copies the table: the copies are charged, so the quadratic loop ends early.
    '$h = @{}; for ($i = 0; $i -lt 5000; $i++) { $h += @{ $i = 1 } }',
  ];
  for (const script of endless) {
    test(JSON.stringify(script), async () => {
      const r = await run(script, { maxSteps: 20_000 });
      expect(limitIds(r)).toContain('ScriptLimitExceeded');
      expect(r.exitCode).toBe(1);
    });
  }
});

describe('built values are held to the array and string limits', () => {
  const cases: [string, string, Partial<RunLimits>][] = [
    [
      'a hashtable filled in a loop',
      '$h = @{}; for ($i = 0; $i -lt 5000; $i++) { $h[$i] = 1 }',
      { maxCollectionItems: 1000 },
    ],
    ['String.Split', "('x,' * 5000).Split(',')", { maxCollectionItems: 1000 }],
    ['unary -split', "-split ('x ' * 5000)", { maxCollectionItems: 1000 }],
    ['ToCharArray', "('x' * 5000).ToCharArray()", { maxCollectionItems: 1000 }],
    ['-join', "(1..900) -join ('y' * 100)", { maxStringLength: 10_000 }],
    ['[string]::Join', "[string]::Join(('y' * 100), (1..900))", { maxStringLength: 10_000 }],
    ['-f alignment', "'{0,1000000}' -f 1", { maxStringLength: 10_000 }],
    ['PadLeft', "'x'.PadLeft(1000000)", { maxStringLength: 10_000 }],
  ];
  for (const [name, script, limits] of cases) {
    test(name, async () => {
      const r = await run(script, limits);
      expect(limitIds(r)).toEqual(['ScriptLimitExceeded']);
    });
  }
});
