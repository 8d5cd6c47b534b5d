import { Worker } from 'node:worker_threads';
import { sharedTestdataFolder } from './corpus.js';
import type { WorkerInput, WorkerMessage } from './fuzzWorker.js';

export interface ReaderFuzzOptions {
  seed: number;
  cases: number;
  /** Stops starting new cases after this long (the run is bounded either way). */
  seconds: number;
  /** A case that runs longer than this is a hang. */
  caseBudgetMs: number;
  /** The heap of the fuzzing thread may not grow more than this over the run. */
  maxHeapGrowthMB: number;
  testdataFolder?: string;
  /** Only this case (a replay). */
  only?: number;
  log?: (line: string) => void;
}

export interface ReaderFuzzFailure {
  kind: 'crash' | 'hang' | 'out of memory' | 'heap growth';
  index: number;
  caseSeed: number | null;
  detail: string;
}

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

/** The compiled worker; from the TypeScript sources (vitest) it loads through tsx. */
function startWorker(input: WorkerInput): Worker {
  const options = { workerData: input, resourceLimits: { maxOldGenerationSizeMb: 768 } };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./fuzzWorker.js', import.meta.url), options);
  const source = JSON.stringify(new URL('./fuzzWorker.ts', import.meta.url).href);
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${source}); });`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Fuzzes the VHDX reader in a worker thread, watched from here: a case that does not finish in
 * its budget is a hang (the worker is stopped and the run goes on after that case), a worker that
 * runs out of its heap limit is an unbounded allocation. Every failure carries its case seed.
 */
export async function runReaderFuzz(options: ReaderFuzzOptions): Promise<ReaderFuzzReport> {
  const log = options.log ?? (() => undefined);
  const report: ReaderFuzzReport = {
    seed: options.seed,
    cases: 0,
    read: 0,
    rejected: 0,
    largestRead: 0,
    seeds: [],
    skippedRealFiles: null,
    failures: [],
  };
  const deadline = Date.now() + options.seconds * 1000;
  const { caseSeed } = await import('@hvm/stress-support');
  let from = options.only ?? 0;
  const end = options.only === undefined ? options.cases : options.only + 1;
  while (from < end && Date.now() < deadline) {
    const progress = new SharedArrayBuffer(8);
    const counters = new Int32Array(progress);
    Atomics.store(counters, 0, -1);
    const input: WorkerInput = {
      runSeed: options.seed,
      from,
      to: end,
      deadline,
      testdataFolder: options.testdataFolder ?? sharedTestdataFolder(),
      progress,
    };
    const worker = startWorker(input);
    const startedCount = report.cases;
    const ended = await new Promise<{ next: number }>((resolve) => {
      let lastIndex = -1;
      let lastChange = Date.now();
      let settled = false;
      const finish = (next: number): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        resolve({ next });
      };
      const watchdog = setInterval(() => {
        const index = Atomics.load(counters, 0);
        if (index !== lastIndex) {
          lastIndex = index;
          lastChange = Date.now();
          return;
        }
        // Before the first case the worker loads its seeds: give that time too.
        const budget = index < 0 ? 60_000 : options.caseBudgetMs;
        if (Date.now() - lastChange > budget) {
          report.failures.push({
            kind: 'hang',
            index,
            caseSeed: index < 0 ? null : caseSeed(options.seed, index),
            detail: `case did not finish within ${options.caseBudgetMs} ms`,
          });
          report.cases = startedCount + Atomics.load(counters, 1) + 1;
          log(`HANG at case ${index} (seed ${options.seed}); worker stopped, going on`);
          void worker.terminate();
          finish(index + 1);
        }
      }, 50);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'skipped-real-files') {
          report.skippedRealFiles = message.folder;
        } else if (message.type === 'crash') {
          report.failures.push({
            kind: 'crash',
            index: message.index,
            caseSeed: message.caseSeed,
            detail: `${message.seedName}: ${message.error}`,
          });
          log(
            `CRASH at case ${message.index} (run seed ${options.seed}, case seed ${message.caseSeed}) on ${message.seedName}:\n${message.error}`,
          );
        } else {
          report.cases = startedCount + message.cases;
          report.read += message.read;
          report.rejected += message.rejected;
          report.largestRead = Math.max(report.largestRead, message.largestRead);
          report.seeds = message.seeds;
          if (message.heapEndMB - message.heapStartMB > options.maxHeapGrowthMB) {
            report.failures.push({
              kind: 'heap growth',
              index: from + message.cases - 1,
              caseSeed: null,
              detail: `heap grew from ${message.heapStartMB.toFixed(0)} MB to ${message.heapEndMB.toFixed(0)} MB`,
            });
          }
          finish(end);
        }
      });
      worker.on('error', (error) => {
        const index = Atomics.load(counters, 0);
        const oom = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        report.failures.push({
          kind: oom ? 'out of memory' : 'crash',
          index,
          caseSeed: index < 0 ? null : caseSeed(options.seed, index),
          detail: error.message,
        });
        report.cases = startedCount + Atomics.load(counters, 1) + 1;
        log(
          `${oom ? 'OUT OF MEMORY' : 'WORKER ERROR'} at case ${index} (seed ${options.seed}): ${error.message}`,
        );
        // A worker that fails before its first case would fail again: the run stops.
        finish(index < 0 ? end : index + 1);
      });
      worker.on('exit', () => {
        finish(end);
      });
    });
    from = ended.next;
  }
  return report;
}
