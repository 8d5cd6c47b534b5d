/**
 * The server's side of the script workers: starts worker threads (one kept warm so that a one-line
 * run starts at once), hands each run's host calls to the host object of the request that started
 * it, in that request's context (so the acting user and the user's grants apply), and terminates a
 * worker that does not stop. A terminated or crashed worker is replaced by a new one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import type { Host, HostEvent } from '@hvm/engine';
import type {
  FileLimits,
  HostPrompt,
  HostPromptAnswer,
  RemoteOutcome,
  SessionLimits,
} from '@hvm/powershell';
import type { CallOutcome, FromWorker, ReadsAnswer, ToWorker, WorkerStart } from './protocol.js';
import { ObjectsJson, type RunResult } from './objectsJson.js';
import {
  MAX_READS_AHEAD,
  Slot,
  StopRequest,
  serializeError,
  sharedSlots,
  synchronousHostMethods,
} from './protocol.js';

/** What a run on a worker reports back. */
export interface WorkerJob {
  runId: string;
  script: string;
  width: number;
  interactive: boolean;
  /** Whether the result carries the output objects (default true). */
  objects?: boolean;
  /** The signed-in user the run is for (`$env:USERNAME`). */
  userName?: string;
  limits: Extract<ToWorker, { type: 'run' }>['limits'];
  /** A console session's run (its worker is the session's own), with the session's limits. */
  session: SessionLimits | null;
  /** The user's own folder for the script's files (scriptFiles.ts), or null. */
  filesFolder?: string | null;
  fileLimits?: Partial<FileLimits>;
  /** The host of the request that started the run (acting user, grants). */
  host: Host;
  /** Runs one command on another server as the run's user (`-ComputerName`); absent: none. */
  remote?: (computerName: string, script: string) => Promise<RemoteOutcome>;
  /** Runs `fn` in the async context of that request. */
  inContext: <T>(fn: () => T) => T;
  onPrompt(promptId: number, prompt: HostPrompt, output: string): void;
  /** Console text written since the last call, passed on while the script runs. */
  onOutput(text: string): void;
  /** `jobsStarted`: a run without a session started jobs: its worker is not given to another run. */
  onDone(result: RunResult, stopped: boolean, jobsStarted: boolean): void;
  /** The worker died or could not run the script (a bug, not a script error). */
  onFailed(message: string): void;
}

export interface ScriptWorkerOptions {
  /** The worker's entry module; default `scriptWorker.js` beside this file. */
  workerUrl?: URL;
  /** V8 heap of a worker: a script that builds too much dies alone. */
  workerMemoryMb: number;
}

/**
 * The worker's young generation, beside its heap limit (`workerMemoryMb`, the old generation): a
 * pipeline over a large host makes hundreds of thousands of short-lived values (the host's answers,
 * the objects and their table cells). With V8's default young generation they outlive its
 * collections and go to the old generation: `Get-VM | Get-VMSnapshot` over 2,000 VMs × 50
 * checkpoints spent about 2.3 s of its run in the worker's garbage collector; with 64 MB, about
 * 1.5 s (cpu profiles, apps/bench). The worker's memory is bounded by both: 512 + 64 MB by default.
 */
const WORKER_YOUNG_GENERATION_MB = 64;

/** Calls the host's `method` (in the caller's context). */
function callMethod(host: Host, method: string, args: unknown[]): unknown {
  const fn = (host as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new Error(`Host.${method} is not a method.`);
  return (fn as (...a: unknown[]) => unknown).apply(host, args);
}

/** The built `.js` entry, or the `.ts` source (tests, `npm run dev`). */
function defaultEntry(): URL {
  const built = new URL('./scriptWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  return new URL('./scriptWorker.ts', import.meta.url);
}

/** A `.ts` entry starts through tsx's loader, registered inside the worker before it loads. */
function startWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export class ScriptWorker {
  private readonly worker: Worker;
  private readonly flags: Int32Array;
  private readonly syncAnswers: MessageChannel['port1'];
  private job: WorkerJob | null = null;
  private readonly subscriptions = new Map<number, () => void>();
  /**
   * A console session's worker: between its runs, the session's jobs still call the host, in the
   * context of the session's last run (the same user).
   */
  private sessionContext: Pick<WorkerJob, 'host' | 'inContext'> | null = null;
  alive = true;

  constructor(
    options: ScriptWorkerOptions,
    private readonly onExit: (worker: ScriptWorker) => void,
    /** Serves one console session for its whole life (ScriptWorkerPool.createDedicated). */
    readonly dedicated = false,
  ) {
    const shared = new SharedArrayBuffer(sharedSlots * Int32Array.BYTES_PER_ELEMENT);
    this.flags = new Int32Array(shared);
    const channel = new MessageChannel();
    this.syncAnswers = channel.port1;
    const start: WorkerStart = { shared, syncAnswers: channel.port2 };
    this.worker = startWorker(options.workerUrl ?? defaultEntry(), {
      workerData: start,
      transferList: [channel.port2],
      resourceLimits: {
        maxOldGenerationSizeMb: options.workerMemoryMb,
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      },
    });
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.handle(message));
    this.worker.on('error', (error) => this.fail(`The script worker failed: ${error.message}`));
    this.worker.on('exit', () => {
      this.alive = false;
      this.fail('The script worker stopped.');
      this.onExit(this);
    });
  }

  get busy(): boolean {
    return this.job !== null;
  }

  run(job: WorkerJob): void {
    if (this.job !== null) throw new Error('The script worker is busy.');
    this.job = job;
    if (this.dedicated) this.sessionContext = { host: job.host, inContext: job.inContext };
    Atomics.store(this.flags, Slot.stopRequest, StopRequest.none);
    this.worker.ref();
    this.post({
      type: 'run',
      runId: job.runId,
      script: job.script,
      width: job.width,
      limits: job.limits,
      interactive: job.interactive,
      ...(job.objects === false ? { objects: false } : {}),
      session: job.session,
      filesFolder: job.filesFolder ?? null,
      ...(job.fileLimits ? { fileLimits: job.fileLimits } : {}),
      ...(job.userName === undefined ? {} : { userName: job.userName }),
    });
  }

  /** Asks the script to stop at its next step (it cannot see the request inside one step). */
  requestStop(reason: 'stopped' | 'timeout'): void {
    Atomics.store(
      this.flags,
      Slot.stopRequest,
      reason === 'stopped' ? StopRequest.stopped : StopRequest.timeout,
    );
  }

  answerPrompt(promptId: number, answer: HostPromptAnswer): void {
    this.post({ type: 'prompt-answer', promptId, answer });
  }

  /** Ends the worker at once, wherever the script is; the run's job is not told. */
  terminate(): void {
    this.finishJob();
    this.alive = false;
    void this.worker.terminate();
  }

  private post(message: ToWorker): void {
    if (this.alive) this.worker.postMessage(message);
  }

  private finishJob(): WorkerJob | null {
    const job = this.job;
    this.job = null;
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    if (this.alive) this.worker.unref();
    return job;
  }

  private fail(message: string): void {
    this.finishJob()?.onFailed(message);
  }

  private handle(message: FromWorker): void {
    const job = this.job;
    if (job === null) {
      // The session's jobs, between runs.
      const context = this.sessionContext;
      if (message.type === 'remote') {
        // A session's job between runs: no request, so no user's connections.
        this.post({
          type: 'answer',
          callId: message.callId,
          outcome: { ok: true, value: { reached: false } satisfies RemoteOutcome },
        });
        return;
      }
      if (message.type === 'reads') {
        this.answerReads(context, message.callId, message.reads);
        return;
      }
      if (message.type === 'call' && context !== null) {
        if (message.sync) this.answerSync(context, message.callId, message.method, message.args);
        else this.answerAsync(context, message.callId, message.method, message.args);
      }
      return;
    }
    switch (message.type) {
      case 'call':
        if (message.sync) this.answerSync(job, message.callId, message.method, message.args);
        else this.answerAsync(job, message.callId, message.method, message.args);
        return;
      case 'reads':
        this.answerReads(job, message.callId, message.reads);
        return;
      case 'remote': {
        const reach = job.remote ?? (() => Promise.resolve<RemoteOutcome>({ reached: false }));
        reach(message.computerName, message.script).then(
          (value) =>
            this.post({ type: 'answer', callId: message.callId, outcome: { ok: true, value } }),
          (error: unknown) =>
            this.post({
              type: 'answer',
              callId: message.callId,
              outcome: { ok: false, error: serializeError(error) },
            }),
        );
        return;
      }
      case 'subscribe': {
        const unsubscribe = job.inContext(() =>
          job.host.subscribe((event: HostEvent) => {
            if (this.job === job)
              this.post({ type: 'event', subscriptionId: message.subscriptionId, event });
          }),
        );
        this.subscriptions.set(message.subscriptionId, unsubscribe);
        return;
      }
      case 'unsubscribe':
        this.subscriptions.get(message.subscriptionId)?.();
        this.subscriptions.delete(message.subscriptionId);
        return;
      case 'prompt':
        job.onPrompt(message.promptId, message.prompt, message.output);
        return;
      case 'output':
        job.onOutput(message.text);
        return;
      case 'done':
        this.finishJob();
        job.onDone(
          message.objectsJson === undefined
            ? message.result
            : {
                ...message.result,
                objects: new ObjectsJson(message.objectsJson),
              },
          message.stopped,
          message.jobsStarted,
        );
        return;
      case 'failed':
        this.finishJob();
        job.onFailed(message.message);
        return;
    }
  }

  private callHost(
    job: Pick<WorkerJob, 'host' | 'inContext'>,
    method: string,
    args: unknown[],
  ): unknown {
    return job.inContext(() => callMethod(job.host, method, args));
  }

  private answerSync(
    job: Pick<WorkerJob, 'host' | 'inContext'>,
    callId: number,
    method: string,
    args: unknown[],
  ): void {
    let outcome: CallOutcome;
    try {
      outcome = { ok: true, value: this.callHost(job, method, args) };
    } catch (error) {
      outcome = { ok: false, error: serializeError(error) };
    }
    try {
      this.syncAnswers.postMessage({ callId, outcome });
    } catch (error) {
      this.syncAnswers.postMessage({
        callId,
        outcome: { ok: false, error: serializeError(error) },
      });
    }
    Atomics.add(this.flags, Slot.syncAnswers, 1);
    Atomics.notify(this.flags, Slot.syncAnswers);
  }

  /**
   * Answers reads asked ahead, each as its own synchronous call would be (same host, same
   * context: the user's role and grants apply to each). Only synchronous (read) methods are
   * answered, at most MAX_READS_AHEAD; without a context (a session's job after its worker was
   * handed back) nothing is read ahead and the calls go one by one.
   */
  private answerReads(
    job: Pick<WorkerJob, 'host' | 'inContext'> | null,
    callId: number,
    reads: readonly { method: string; args: unknown[] }[],
  ): void {
    // The request's context is entered once for the whole window, not once for each read.
    const outcomes: CallOutcome[] =
      job === null || reads.length > MAX_READS_AHEAD
        ? []
        : job.inContext(() =>
            reads.map(({ method, args }): CallOutcome => {
              if (!synchronousHostMethods.has(method))
                return {
                  ok: false,
                  error: serializeError(new Error(`Host.${method} is not a read.`)),
                };
              try {
                return { ok: true, value: callMethod(job.host, method, args) };
              } catch (error) {
                return { ok: false, error: serializeError(error) };
              }
            }),
          );
    try {
      this.syncAnswers.postMessage({ callId, outcomes } satisfies ReadsAnswer);
    } catch {
      // A value that cannot cross: nothing is read ahead, each call then answers for itself.
      this.syncAnswers.postMessage({ callId, outcomes: [] } satisfies ReadsAnswer);
    }
    Atomics.add(this.flags, Slot.syncAnswers, 1);
    Atomics.notify(this.flags, Slot.syncAnswers);
  }

  private answerAsync(
    job: Pick<WorkerJob, 'host' | 'inContext'>,
    callId: number,
    method: string,
    args: unknown[],
  ): void {
    const reply = (outcome: CallOutcome): void => {
      // A session's worker gets its answers after its run ended too: its jobs wait for them.
      if (this.job !== job && !(this.dedicated && this.alive)) return;
      try {
        this.post({ type: 'answer', callId, outcome });
      } catch (error) {
        this.post({ type: 'answer', callId, outcome: { ok: false, error: serializeError(error) } });
      }
    };
    Promise.resolve()
      .then(() => this.callHost(job, method, args))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) => reply({ ok: false, error: serializeError(error) }),
      );
  }
}

/** Hands out workers: the idle warm one if there is one, else a new one. */
export class ScriptWorkerPool {
  private idle: ScriptWorker | null = null;

  constructor(private readonly options: ScriptWorkerOptions) {}

  /** Starts the warm worker ahead of the first run. */
  warm(): void {
    this.idle ??= this.create();
  }

  acquire(): ScriptWorker {
    const worker = this.idle?.alive === true ? this.idle : this.create();
    this.idle = null;
    return worker;
  }

  /** A worker that finished its run goes back to the pool (one is kept; more are ended). */
  release(worker: ScriptWorker): void {
    if (!worker.alive || worker.busy) return;
    if (this.idle === null) this.idle = worker;
    else if (this.idle !== worker) worker.terminate();
  }

  close(): void {
    this.idle?.terminate();
    this.idle = null;
  }

  /** A worker of its own for a console session: never pooled, ended with the session. */
  createDedicated(): ScriptWorker {
    return new ScriptWorker(this.options, () => undefined, true);
  }

  private create(): ScriptWorker {
    return new ScriptWorker(this.options, (worker) => {
      if (this.idle === worker) this.idle = null;
    });
  }
}
