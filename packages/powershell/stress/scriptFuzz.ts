/**
 * The PowerShell script fuzzer: seeded random scripts (generate.ts) run through runPowerShell in a
 * worker thread watched by @hvm/stress-support's runner. A case that does not finish within its
 * budget is a hang, a worker that runs out of its heap limit is an unbounded allocation, and a case
 * that breaks an invariant (scriptCase.ts) is a failure. Every failure carries its case number and
 * seed: `--seed S --case N` replays it.
 */
import {
  runCasesInWorkers,
  startCaseWorker,
  type CaseFailure,
  type CaseRunOptions,
} from '@hvm/stress-support';
import type { WorkerMessage } from './fuzzWorker.js';

export type ScriptFuzzOptions = CaseRunOptions;
export type ScriptFuzzFailure = CaseFailure<'invariant'>;

export interface ScriptFuzzReport {
  seed: number;
  cases: number;
  ran: number;
  parseErrors: number;
  limitsHit: number;
  failures: ScriptFuzzFailure[];
}

const excerpt = (script: string): string =>
  JSON.stringify(
    script.length > 400 ? `${script.slice(0, 400)}...(${script.length} chars)` : script,
  );

export async function runScriptFuzz(options: ScriptFuzzOptions): Promise<ScriptFuzzReport> {
  const log = options.log ?? (() => undefined);
  const totals = { ran: 0, parseErrors: 0, limitsHit: 0 };
  const { cases, failures } = await runCasesInWorkers<WorkerMessage, 'invariant'>(options, {
    // A small heap: a script that allocates without bound shows as an out-of-memory failure.
    start: (range) =>
      startCaseWorker(import.meta.url, 'fuzzWorker', range, { maxOldGenerationSizeMb: 512 }),
    onMessage: (message, fail) => {
      fail({
        kind: 'invariant',
        index: message.index,
        caseSeed: message.caseSeed,
        detail: `${message.problem} (mutation ${message.mutation}) in ${excerpt(message.script)}`,
      });
      log(
        `FAILURE at case ${message.index} (--seed ${options.seed} --case ${message.index}): ${message.problem}\n  script (${message.mutation}): ${excerpt(message.script)}`,
      );
    },
    onDone: (done) => {
      totals.ran += done.ran;
      totals.parseErrors += done.parseErrors;
      totals.limitsHit += done.limitsHit;
    },
  });
  return { seed: options.seed, cases, ...totals, failures };
}
