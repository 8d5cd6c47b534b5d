/**
 * Fuzz runs in a worker thread, watched from the main thread: the worker runs cases `from` to
 * `to` and says through shared memory which case it is on; the watchdog here stops a worker whose
 * case outlives its budget (a hang) and starts a new one after that case, and a worker that runs
 * out of its heap limit is reported as an unbounded allocation. Every failure carries its case
 * number and seed, so `--seed S --case N` replays it alone.
 */
import { parseArgs } from 'node:util';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { caseSeed } from './random.js';

/** What a worker is given: its slice of the run. */
export interface CaseRange {
  runSeed: number;
  from: number;
  to: number;
  /** Stop starting cases after this time (ms since the epoch). */
  deadline: number;
  /** Shared with the watchdog: [case index being run, cases finished]. */
  progress: SharedArrayBuffer;
}

/** The last message of a worker that ran its range to the end (or to the deadline). */
export interface CaseRangeDone {
  type: 'done';
  cases: number;
  heapStartMB: number;
  heapEndMB: number;
}

export interface CaseFailure<Kind extends string = string> {
  kind: Kind | 'hang' | 'out of memory' | 'crash' | 'heap growth';
  index: number;
  caseSeed: number | null;
  detail: string;
}

export interface CaseRunOptions {
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

export interface CaseWorkerHooks<Message extends { type: string }, Kind extends string> {
  /** Starts a worker for the range (see startCaseWorker). */
  start(range: CaseRange): Worker;
  /** A message other than the final `done`; `fail` records a failure the worker found. */
  onMessage(
    message: Exclude<Message, { type: 'done' }>,
    fail: (f: CaseFailure<Kind>) => void,
  ): void;
  /** The final message, with the worker's own totals. */
  onDone(done: Extract<Message, { type: 'done' }>): void;
}

/** How long a worker may take to load its modules and seeds before its first case. */
const STARTUP_BUDGET_MS = 60_000;

/** Runs the cases in watched workers and returns how many ran and what failed. */
export async function runCasesInWorkers<
  Message extends { type: string },
  Kind extends string = never,
>(
  options: CaseRunOptions,
  hooks: CaseWorkerHooks<Message, Kind>,
): Promise<{ cases: number; failures: CaseFailure<Kind>[] }> {
  const log = options.log ?? (() => undefined);
  const failures: CaseFailure<Kind>[] = [];
  const fail = (failure: CaseFailure<Kind>): void => {
    failures.push(failure);
  };
  const replay = (index: number): string => `--seed ${options.seed} --case ${index}`;
  const seedOf = (index: number): number | null =>
    index < 0 ? null : caseSeed(options.seed, index);
  let cases = 0;
  const deadline = Date.now() + options.seconds * 1000;
  let from = options.only ?? 0;
  const end = options.only === undefined ? options.cases : options.only + 1;
  while (from < end && Date.now() < deadline) {
    const progress = new SharedArrayBuffer(8);
    const counters = new Int32Array(progress);
    Atomics.store(counters, 0, -1);
    const worker = hooks.start({ runSeed: options.seed, from, to: end, deadline, progress });
    const casesBefore = cases;
    const countUpToCurrent = (): void => {
      cases = casesBefore + Atomics.load(counters, 1) + 1;
    };
    from = await new Promise<number>((resolve) => {
      let lastIndex = -1;
      let lastChange = Date.now();
      let settled = false;
      const finish = (next: number): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        resolve(next);
      };
      const watchdog = setInterval(() => {
        const index = Atomics.load(counters, 0);
        if (index !== lastIndex) {
          lastIndex = index;
          lastChange = Date.now();
          return;
        }
        const budget = index < 0 ? STARTUP_BUDGET_MS : options.caseBudgetMs;
        if (Date.now() - lastChange <= budget) return;
        fail({
          kind: 'hang',
          index,
          caseSeed: seedOf(index),
          detail: `case did not finish within ${options.caseBudgetMs} ms`,
        });
        countUpToCurrent();
        log(`HANG at case ${index} (${replay(index)}); worker stopped, going on`);
        void worker.terminate();
        finish(index < 0 ? end : index + 1);
      }, 50);
      worker.on('message', (message: Message) => {
        if (message.type !== 'done') {
          hooks.onMessage(message as Exclude<Message, { type: 'done' }>, fail);
          return;
        }
        const done = message as Extract<Message, { type: 'done' }> & CaseRangeDone;
        cases = casesBefore + done.cases;
        hooks.onDone(done);
        if (done.heapEndMB - done.heapStartMB > options.maxHeapGrowthMB)
          fail({
            kind: 'heap growth',
            index: from + done.cases - 1,
            caseSeed: null,
            detail: `heap grew from ${done.heapStartMB.toFixed(0)} MB to ${done.heapEndMB.toFixed(0)} MB`,
          });
        finish(end);
      });
      worker.on('error', (error) => {
        const index = Atomics.load(counters, 0);
        const oom = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        fail({
          kind: oom ? 'out of memory' : 'crash',
          index,
          caseSeed: seedOf(index),
          detail: error.message,
        });
        countUpToCurrent();
        log(
          `${oom ? 'OUT OF MEMORY' : 'WORKER ERROR'} at case ${index} (${replay(index)}): ${error.message}`,
        );
        // A worker that fails before its first case would fail again: the run stops.
        finish(index < 0 ? end : index + 1);
      });
      worker.on('exit', () => {
        finish(end);
      });
    });
  }
  return { cases, failures };
}

/**
 * Starts the worker module `name` beside the caller: its compiled `.js`, or from the TypeScript
 * sources (vitest) its `.ts` through tsx.
 */
export function startCaseWorker<Input extends CaseRange>(
  callerUrl: string,
  name: string,
  range: Input,
  limits: ResourceLimits,
): Worker {
  const options = { workerData: range, resourceLimits: limits };
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const source = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${source}); });`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Inside the worker: runs each case of the range with its seed, telling the watchdog which case
 * it is on. Returns the totals of the `done` message.
 */
export async function runCaseRange(
  range: CaseRange,
  runCase: (index: number, seed: number) => Promise<void>,
): Promise<CaseRangeDone> {
  const progress = new Int32Array(range.progress);
  const heapStart = process.memoryUsage().heapUsed;
  let cases = 0;
  for (let index = range.from; index < range.to && Date.now() < range.deadline; index += 1) {
    Atomics.store(progress, 0, index);
    await runCase(index, caseSeed(range.runSeed, index));
    cases += 1;
    Atomics.add(progress, 1, 1);
  }
  return {
    type: 'done',
    cases,
    heapStartMB: heapStart / 2 ** 20,
    heapEndMB: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

/**
 * The command line of a fuzz run: `--cases N --seconds S [--seed S [--case N]] [--case-budget-ms M]`,
 * with the suite's own defaults; a run without `--seed` picks one and prints it.
 */
export function caseRunArguments(defaults: {
  cases: number;
  seconds: number;
  caseBudgetMs: number;
}): Omit<CaseRunOptions, 'maxHeapGrowthMB' | 'log'> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: String(defaults.cases) },
      seconds: { type: 'string', default: String(defaults.seconds) },
      seed: { type: 'string' },
      case: { type: 'string' },
      'case-budget-ms': { type: 'string', default: String(defaults.caseBudgetMs) },
    },
  });
  const seed =
    values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  return {
    seed,
    cases: Number(values.cases),
    seconds: Number(values.seconds),
    caseBudgetMs: Number(values['case-budget-ms']),
    ...(values.case === undefined ? {} : { only: Number(values.case) }),
  };
}
