/**
 * The thread that runs the fuzz cases (scriptFuzz.ts watches it): cases `from` to `to`, each seeded
 * from the run seed, reporting the case it is on through shared memory so the watchdog can tell a
 * hang from a slow case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { caseSeed } from '@hvm/stress-support';
import { runScriptCase } from './scriptCase.js';

export interface WorkerInput {
  runSeed: number;
  from: number;
  to: number;
  /** Stop starting cases after this time (ms since the epoch). */
  deadline: number;
  /** Shared with the watchdog: [case index being run, cases finished]. */
  progress: SharedArrayBuffer;
}

export type WorkerMessage =
  | {
      type: 'failure';
      index: number;
      caseSeed: number;
      problem: string;
      script: string;
      mutation: string;
    }
  | {
      type: 'done';
      cases: number;
      ran: number;
      parseErrors: number;
      limitsHit: number;
      heapStartMB: number;
      heapEndMB: number;
    };

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const port = parentPort;
  if (port === null) throw new Error('runs as a worker thread');
  const progress = new Int32Array(input.progress);
  const heapStart = process.memoryUsage().heapUsed;
  const totals = { cases: 0, ran: 0, parseErrors: 0, limitsHit: 0 };
  for (let index = input.from; index < input.to && Date.now() < input.deadline; index += 1) {
    Atomics.store(progress, 0, index);
    const seed = caseSeed(input.runSeed, index);
    const outcome = await runScriptCase(seed);
    totals.cases += 1;
    Atomics.add(progress, 1, 1);
    if (outcome.kind === 'failure') {
      port.postMessage({
        type: 'failure',
        index,
        caseSeed: seed,
        problem: outcome.problem,
        script: outcome.script,
        mutation: outcome.mutation,
      } satisfies WorkerMessage);
      continue;
    }
    if (outcome.parseError) totals.parseErrors += 1;
    else if (outcome.limitHit) totals.limitsHit += 1;
    else totals.ran += 1;
  }
  port.postMessage({
    type: 'done',
    ...totals,
    heapStartMB: heapStart / 2 ** 20,
    heapEndMB: process.memoryUsage().heapUsed / 2 ** 20,
  } satisfies WorkerMessage);
}

void main();
