import { parentPort, workerData } from 'node:worker_threads';
import { runCaseRange, type CaseRange, type CaseRangeDone } from '@hvm/stress-support';
import { generatedSeeds, realSeeds } from './corpus.js';
import { runReaderCase } from './readerCase.js';

export interface WorkerInput extends CaseRange {
  testdataFolder: string;
}

export type WorkerMessage =
  | { type: 'skipped-real-files'; folder: string }
  | { type: 'crash'; index: number; caseSeed: number; seedName: string; error: string }
  | (CaseRangeDone & { read: number; rejected: number; largestRead: number; seeds: string[] });

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const port = parentPort;
  if (port === null) throw new Error('runs as a worker thread');
  const real = realSeeds(input.testdataFolder);
  if (real === null)
    port.postMessage({
      type: 'skipped-real-files',
      folder: input.testdataFolder,
    } satisfies WorkerMessage);
  const seeds = [...(real ?? []), ...(await generatedSeeds())];
  const totals = { read: 0, rejected: 0, largestRead: 0 };
  const done = await runCaseRange(input, async (index, seed) => {
    const outcome = await runReaderCase(seeds, seed);
    if (outcome.kind === 'crash') {
      port.postMessage({
        type: 'crash',
        index,
        caseSeed: seed,
        seedName: outcome.seedName,
        error: outcome.error,
      } satisfies WorkerMessage);
      return;
    }
    totals[outcome.kind] += 1;
    totals.largestRead = Math.max(totals.largestRead, outcome.largestRead);
  });
  port.postMessage({ ...done, ...totals, seeds: seeds.map((s) => s.name) } satisfies WorkerMessage);
}

void main();
