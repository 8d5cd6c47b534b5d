/**
 * Arrays nested thousands of levels deep by a script (`$a = $a, 1` in a loop) once overflowed
 * JavaScript's stack in member enumeration, Measure-Object, Where-Object, Select-Object,
 * Sort-Object and ConvertTo-Json: the run printed "Maximum call stack size exceeded" as if it were a
 * PowerShell error (found by the script fuzzer, stress/). Nesting is now a limit of its own.
 */
import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import { MAX_ARRAY_NESTING } from './arrayNesting.js';

async function run(script: string) {
  const { host } = await createTestHost();
  return runPowerShell(host, script, { limits: { maxSteps: 200_000 } });
}

const deep = (levels: number, tail: string): string =>
  `$a = 1, 2\nfor ($i = 0; $i -lt ${levels}; $i++) { $a = $a, 1 }\n${tail}`;

describe('arrays nested too deeply end the script with a limit record, never a stack overflow', () => {
  for (const tail of [
    '$a.Name',
    '$a | Measure-Object',
    '$a | Where-Object Name -eq 1',
    '$a | Select-Object -ExpandProperty Name',
    '$a | Sort-Object Name',
    '$a | ConvertTo-Json -Depth 100',
  ]) {
    test(`5000 levels, then ${tail}`, async () => {
      const r = await run(deep(5000, tail));
      expect(r.output).not.toContain('call stack');
      expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual(['ScriptLimitExceeded']);
      expect(r.errors[0]?.message).toBe(
        `The script built arrays nested more than ${MAX_ARRAY_NESTING} levels deep. (a limit of this server, not a PowerShell error)`,
      );
      expect(r.output).toContain('At line:2 char:');
      expect(r.exitCode).toBe(1);
    });
  }

  test('nesting up to the limit works as PowerShell does: the outer array keeps two items', async () => {
    const r = await run(
      deep(MAX_ARRAY_NESTING - 2, '$a.Count\n$a[1]\n($a | Measure-Object).Count'),
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual([2, 1, 2]);
  });

  test('the limit holds for arrays copied with @() between levels', async () => {
    const r = await run(
      `$a = 1, 2\nfor ($i = 0; $i -lt 500; $i++) { $b = @($a); $a = $b, 1 }\n$a.Name`,
    );
    expect(r.output).not.toContain('call stack');
    // Today @($a) flattens one level too many (see conformance/grammar.test.ts), so this nests no
    // deeper than 3 levels; once @() keeps nested arrays, the limit ends it instead.
    for (const e of r.errors) expect(e.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
  });
});
