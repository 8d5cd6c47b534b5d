/**
 * The thread that runs the fuzz cases (scriptFuzz.ts watches it): cases `from` to `to`, each seeded
 * from the run seed, reporting the case it is on through shared memory so the watchdog can tell a
 * hang from a slow case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCaseRange, type CaseRange, type CaseRangeDone } from '@hvm/stress-support';
import { runScriptCase } from './scriptCase.js';

export type WorkerMessage =
  | {
      type: 'failure';
      index: number;
      caseSeed: number;
      problem: string;
      script: string;
      mutation: string;
    }
  | (CaseRangeDone & { ran: number; parseErrors: number; limitsHit: number });

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('runs as a worker thread');
  const totals = { ran: 0, parseErrors: 0, limitsHit: 0 };
  const done = await runCaseRange(workerData as CaseRange, async (index, seed) => {
    const outcome = await runScriptCase(seed);
    if (outcome.kind === 'failure') {
      port.postMessage({
        type: 'failure',
        index,
        caseSeed: seed,
        problem: outcome.problem,
        script: outcome.script,
        mutation: outcome.mutation,
      } satisfies WorkerMessage);
    } else if (outcome.parseError) totals.parseErrors += 1;
    else if (outcome.limitHit) totals.limitsHit += 1;
    else totals.ran += 1;
  });
  port.postMessage({ ...done, ...totals } satisfies WorkerMessage);
}

void main();
