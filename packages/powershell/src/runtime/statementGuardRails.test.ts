/**
 * No script freezes the host: every loop iteration is a step, so endless loops end at the step
 * limit; a `catch` cannot swallow a limit or a stop; recursion ends at the call-depth limit
 * instead of overflowing the stack; ranges count against the array limit.
 */
import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import { MAX_NESTING_DEPTH } from '../language/parser.js';
import { MAX_CALL_DEPTH } from './functions.js';

async function run(
  script: string,
  limits = { maxSteps: 20_000 },
  shouldStop?: () => 'stopped' | null,
) {
  const { host } = await createTestHost();
  return runPowerShell(host, script, { limits, ...(shouldStop ? { shouldStop } : {}) });
}

const stepLimit =
  'The script took more than 20000 steps. (a limit of this server, not a PowerShell error)';

describe('loops end at the step limit', () => {
  const endless = [
    'while ($true) { }',
    'for (;;) { }',
    'do { } while ($true)',
    'do { } until ($false)',
    'while ($true) { continue }',
    'foreach ($i in 1..10) { while (1) { } }',
    'function Spin { while ($true) { } }\nSpin',
    '$block = { for (;;) { } }\n& $block',
  ];
  for (const script of endless) {
    test(JSON.stringify(script), async () => {
      const r = await run(script);
      expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual(['ScriptLimitExceeded']);
      expect(r.output).toContain(stepLimit);
      expect(r.exitCode).toBe(1);
    });
  }

  test('a catch does not swallow the step limit, and the script ends', async () => {
    const r = await run(
      "while ($true) { try { while ($true) { } } catch { 'escaped' } finally { 'cleanup' } }\n'after'",
    );
    expect(r.objects).toEqual([]);
    expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual(['ScriptLimitExceeded']);
  });

  test('a stopped run is not caught either', async () => {
    let steps = 0;
    const r = await run(
      "try { while ($true) { } } catch { 'escaped' }\n'after'",
      { maxSteps: 1e9 },
      () => (++steps > 500 ? 'stopped' : null),
    );
    expect(r.output).toBe('');
    expect(r.errors).toEqual([]);
  });

  test('a range counts against the array limit', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, 'foreach ($i in 1..100000000) { }', {
      limits: { maxCollectionItems: 1000 },
    });
    expect(r.output).toContain('The script built an array of more than 1000 items.');
  });
});

describe('recursion ends at the call-depth limit', () => {
  test('function f { f } ends with our record, not a stack overflow', async () => {
    const r = await run("function f { f }\nf\n'not reached'");
    expect(r.output).toContain(
      `The script called functions or script blocks more than ${MAX_CALL_DEPTH} levels deep. (a limit of this server, not a PowerShell error)`,
    );
    expect(r.output).not.toContain('not reached');
    expect(r.errors).toHaveLength(1);
  });

  test('the deepest nesting the parser accepts, in every call, does not overflow the stack', async () => {
    const depth = MAX_NESTING_DEPTH - 5;
    const body = 'if ($true) { '.repeat(depth) + '$x = 1' + ' }'.repeat(depth);
    const r = await run(`function f { ${body}; f }\nf`, { maxSteps: 10_000_000 });
    expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual(['ScriptLimitExceeded,f']);
  });

  test('recursion within the limit works', async () => {
    const r = await run(
      `function Count-Down { param([int]$n) if ($n -gt 0) { Count-Down ($n - 1) } else { 'bottom' } }\nCount-Down ${MAX_CALL_DEPTH - 1}`,
    );
    expect(r.output).toBe('bottom\n');
  });
});

describe('the parser keeps its nesting limit for the statements', () => {
  const deep = MAX_NESTING_DEPTH + 1;
  const nested: [string, string][] = [
    ['if', 'if ($true) { '.repeat(deep) + ' }'.repeat(deep)],
    ['while', 'while ($false) { '.repeat(deep) + ' }'.repeat(deep)],
    ['foreach', 'foreach ($x in 1) { '.repeat(deep) + ' }'.repeat(deep)],
    ['try', 'try { '.repeat(deep) + ' } finally { }'.repeat(deep)],
    ['function', 'function f { '.repeat(deep) + ' }'.repeat(deep)],
  ];
  for (const [name, script] of nested) {
    test(`${deep} nested ${name} statements are a parse error`, async () => {
      const r = await run(script);
      expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual(['ScriptNestedTooDeeply']);
    });
  }
});
