/**
 * Fuzzes the VHDX reader in a worker thread watched by @hvm/stress-support's runner: a case that
 * does not finish in its budget is a hang (the worker is stopped and the run goes on after that
 * case), a worker that runs out of its heap limit is an unbounded allocation. Every failure
 * carries its case seed.
 */
import type { CaseFailure, CaseRunOptions } from '@hvm/stress-support';
import { sharedTestdataFolder } from './corpus.js';
import type { WorkerInput, WorkerMessage } from './fuzzWorker.js';

export interface ReaderFuzzOptions extends CaseRunOptions {
  testdataFolder?: string;
}

export type ReaderFuzzFailure = CaseFailure;

export interface ReaderFuzzReport {
  seed: number;
  cases: number;
  read: number;
  rejected: number;
  largestRead: number;
  seeds: string[];
  skippedRealFiles: string | null;
  failures: ReaderFuzzFailure[];
}

export async function runReaderFuzz(options: ReaderFuzzOptions): Promise<ReaderFuzzReport> {
  const log = options.log ?? (() => undefined);
  // Loaded when the fuzz runs, so that the vitest collection of this file stays cheap.
  const { runCasesInWorkers, startCaseWorker } = await import('@hvm/stress-support');
  const totals = { read: 0, rejected: 0, largestRead: 0 };
  let seeds: string[] = [];
  let skippedRealFiles: string | null = null;
  const testdataFolder = options.testdataFolder ?? sharedTestdataFolder();
  const { cases, failures } = await runCasesInWorkers<WorkerMessage>(options, {
    start: (range) =>
      startCaseWorker(
        import.meta.url,
        'fuzzWorker',
        { ...range, testdataFolder } satisfies WorkerInput,
        {
          maxOldGenerationSizeMb: 768,
        },
      ),
    onMessage: (message, fail) => {
      if (message.type === 'skipped-real-files') {
        skippedRealFiles = message.folder;
        return;
      }
      fail({
        kind: 'crash',
        index: message.index,
        caseSeed: message.caseSeed,
        detail: `${message.seedName}: ${message.error}`,
      });
      log(
        `CRASH at case ${message.index} (--seed ${options.seed} --case ${message.index}, case seed ${message.caseSeed}) on ${message.seedName}:\n${message.error}`,
      );
    },
    onDone: (done) => {
      totals.read += done.read;
      totals.rejected += done.rejected;
      totals.largestRead = Math.max(totals.largestRead, done.largestRead);
      seeds = done.seeds;
    },
  });
  return { seed: options.seed, cases, ...totals, seeds, skippedRealFiles, failures };
}
