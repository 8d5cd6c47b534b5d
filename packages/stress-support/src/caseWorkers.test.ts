import { describe, expect, it } from 'vitest';
import { runCasesInWorkers, startCaseWorker, type CaseRangeDone } from './caseWorkers.js';
import { caseSeed } from './random.js';

type FixtureMessage = { type: 'problem'; index: number; seed: number } | CaseRangeDone;

function run(only?: number) {
  const lines: string[] = [];
  const dones: CaseRangeDone[] = [];
  const result = runCasesInWorkers<FixtureMessage, 'problem'>(
    {
      seed: 7,
      cases: 6,
      seconds: 600,
      caseBudgetMs: 300,
      maxHeapGrowthMB: 256,
      ...(only === undefined ? {} : { only }),
      log: (line) => lines.push(line),
    },
    {
      start: (range) =>
        startCaseWorker(import.meta.url, 'caseWorkers.fixture', range, {
          maxOldGenerationSizeMb: 256,
        }),
      onMessage: (message, fail) => {
        fail({ kind: 'problem', index: message.index, caseSeed: message.seed, detail: 'found' });
      },
      onDone: (done) => dones.push(done),
    },
  );
  return { result, lines, dones };
}

describe('fuzz cases in watched workers', () => {
  it('stops a worker whose case hangs, names the case and its seed, and goes on after it', async () => {
    const { result, lines, dones } = run();
    const { cases, failures } = await result;
    expect(cases).toBe(6);
    expect(failures.map((f) => [f.kind, f.index, f.caseSeed])).toEqual([
      ['hang', 2, caseSeed(7, 2)],
      ['problem', 4, caseSeed(7, 4)],
    ]);
    expect(lines[0]).toContain('HANG at case 2 (--seed 7 --case 2)');
    // The second worker started after the hung case and ran cases 3 to 5.
    expect(dones.map((d) => d.cases)).toEqual([3]);
  }, 120_000);

  it('replays one case alone with --case', async () => {
    const { result } = run(4);
    const { cases, failures } = await result;
    expect(cases).toBe(1);
    expect(failures.map((f) => f.index)).toEqual([4]);
  }, 120_000);
});
