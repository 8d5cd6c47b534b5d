import { parentPort, workerData } from 'node:worker_threads';
import { generatedSeeds, realSeeds } from './corpus.js';
import { caseSeed } from '@hvm/stress-support';
import { runReaderCase } from './readerCase.js';

export interface WorkerInput {
  runSeed: number;
  from: number;
  to: number;
  /** Stop starting cases after this time (ms since the epoch). */
  deadline: number;
  testdataFolder: string;
  /** Shared with the watchdog: [case index being run, cases finished]. */
  progress: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'skipped-real-files'; folder: string }
  | { type: 'crash'; index: number; caseSeed: number; seedName: string; error: string }
  | {
      type: 'done';
      cases: number;
      read: number;
      rejected: number;
      largestRead: number;
      heapStartMB: number;
      heapEndMB: number;
      seeds: string[];
    };

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const port = parentPort;
  if (port === null) throw new Error('runs as a worker thread');
  const progress = new Int32Array(input.progress);
  const real = realSeeds(input.testdataFolder);
  if (real === null) port.postMessage({ type: 'skipped-real-files', folder: input.testdataFolder });
  const seeds = [...(real ?? []), ...(await generatedSeeds())];
  const heapStart = process.memoryUsage().heapUsed;
  const totals = { cases: 0, read: 0, rejected: 0, largestRead: 0 };
  for (let index = input.from; index < input.to && Date.now() < input.deadline; index += 1) {
    Atomics.store(progress, 0, index);
    const seed = caseSeed(input.runSeed, index);
    const outcome = await runReaderCase(seeds, seed);
    totals.cases += 1;
    Atomics.add(progress, 1, 1);
    if (outcome.kind === 'crash') {
      port.postMessage({
        type: 'crash',
        index,
        caseSeed: seed,
        seedName: outcome.seedName,
        error: outcome.error,
      });
      continue;
    }
    totals[outcome.kind] += 1;
    totals.largestRead = Math.max(totals.largestRead, outcome.largestRead);
  }
  port.postMessage({
    type: 'done',
    ...totals,
    heapStartMB: heapStart / 2 ** 20,
    heapEndMB: process.memoryUsage().heapUsed / 2 ** 20,
    seeds: seeds.map((s) => s.name),
  });
}

void main();
