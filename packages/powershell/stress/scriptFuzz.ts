/**
 * The PowerShell script fuzzer: seeded random scripts (generate.ts) run through runPowerShell in a
 * worker thread, watched from here. A case that does not finish within its budget is a hang (the
 * worker is stopped and the run goes on after that case); a worker that runs out of its heap limit
 * is an unbounded allocation; a case that breaks an invariant (scriptCase.ts) is a failure. Every
 * failure carries its case number and seed: `--seed S --case N` replays it.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './fuzzWorker.js';
import { caseSeed } from '@hvm/stress-support';

export interface ScriptFuzzOptions {
  seed: number;
  cases: number;
  /** Stops starting new cases after this long (the run is bounded either way). */
  seconds: number;
  /** A case that runs longer than this is a hang. */
  caseBudgetMs: number;
  /** The heap of the fuzzing thread may not grow more than this over the run. */
  maxHeapGrowthMB: number;
  /** Only this case (a replay). */
  only?: number;
  log?: (line: string) => void;
}

export interface ScriptFuzzFailure {
  kind: 'invariant' | 'hang' | 'out of memory' | 'crash' | 'heap growth';
  index: number;
  caseSeed: number | null;
  detail: string;
}

export interface ScriptFuzzReport {
  seed: number;
  cases: number;
  ran: number;
  parseErrors: number;
  limitsHit: number;
  failures: ScriptFuzzFailure[];
}

/** The compiled worker; from the TypeScript sources (vitest) it loads through tsx. */
function startWorker(input: WorkerInput): Worker {
  // A small heap: a script that allocates without bound shows as an out-of-memory failure.
  const options = { workerData: input, resourceLimits: { maxOldGenerationSizeMb: 512 } };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./fuzzWorker.js', import.meta.url), options);
  const source = JSON.stringify(new URL('./fuzzWorker.ts', import.meta.url).href);
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${source}); });`;
  return new Worker(code, { ...options, eval: true });
}

const excerpt = (script: string): string =>
  JSON.stringify(
    script.length > 400 ? `${script.slice(0, 400)}...(${script.length} chars)` : script,
  );

export async function runScriptFuzz(options: ScriptFuzzOptions): Promise<ScriptFuzzReport> {
  const log = options.log ?? (() => undefined);
  const report: ScriptFuzzReport = {
    seed: options.seed,
    cases: 0,
    ran: 0,
    parseErrors: 0,
    limitsHit: 0,
    failures: [],
  };
  const deadline = Date.now() + options.seconds * 1000;
  let from = options.only ?? 0;
  const end = options.only === undefined ? options.cases : options.only + 1;
  while (from < end && Date.now() < deadline) {
    const progress = new SharedArrayBuffer(8);
    const counters = new Int32Array(progress);
    Atomics.store(counters, 0, -1);
    const worker = startWorker({ runSeed: options.seed, from, to: end, deadline, progress });
    const startedCount = report.cases;
    const next = await new Promise<number>((resolve) => {
      let lastIndex = -1;
      let lastChange = Date.now();
      let settled = false;
      const finish = (at: number): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        resolve(at);
      };
      const watchdog = setInterval(() => {
        const index = Atomics.load(counters, 0);
        if (index !== lastIndex) {
          lastIndex = index;
          lastChange = Date.now();
          return;
        }
        // Before the first case the worker loads its modules: give that time too.
        const budget = index < 0 ? 60_000 : options.caseBudgetMs;
        if (Date.now() - lastChange <= budget) return;
        report.failures.push({
          kind: 'hang',
          index,
          caseSeed: index < 0 ? null : caseSeed(options.seed, index),
          detail: `case did not finish within ${options.caseBudgetMs} ms`,
        });
        report.cases = startedCount + Atomics.load(counters, 1) + 1;
        log(
          `HANG at case ${index} (--seed ${options.seed} --case ${index}); worker stopped, going on`,
        );
        void worker.terminate();
        finish(index < 0 ? end : index + 1);
      }, 50);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'failure') {
          report.failures.push({
            kind: 'invariant',
            index: message.index,
            caseSeed: message.caseSeed,
            detail: `${message.problem} (mutation ${message.mutation}) in ${excerpt(message.script)}`,
          });
          log(
            `FAILURE at case ${message.index} (--seed ${options.seed} --case ${message.index}): ${message.problem}\n  script (${message.mutation}): ${excerpt(message.script)}`,
          );
          return;
        }
        report.cases = startedCount + message.cases;
        report.ran += message.ran;
        report.parseErrors += message.parseErrors;
        report.limitsHit += message.limitsHit;
        if (message.heapEndMB - message.heapStartMB > options.maxHeapGrowthMB)
          report.failures.push({
            kind: 'heap growth',
            index: from + message.cases - 1,
            caseSeed: null,
            detail: `heap grew from ${message.heapStartMB.toFixed(0)} MB to ${message.heapEndMB.toFixed(0)} MB`,
          });
        finish(end);
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
          `${oom ? 'OUT OF MEMORY' : 'WORKER ERROR'} at case ${index} (--seed ${options.seed} --case ${index}): ${error.message}`,
        );
        // A worker that fails before its first case would fail again: the run stops.
        finish(index < 0 ? end : index + 1);
      });
      worker.on('exit', () => {
        finish(end);
      });
    });
    from = next;
  }
  return report;
}
