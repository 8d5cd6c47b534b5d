/**
 * The PowerShell runs of the server: each one waits for its turn on its host (runQueue.ts), runs on
 * a script worker (scriptWorkers.ts) under the wall-clock limit, may stop for prompts (interactive
 * runs), and can be stopped by its user, an Administrator, or its client going away.
 */
import { randomUUID } from 'node:crypto';
import type { Host } from '@hvm/engine';
import type { FileLimits, HostPrompt, HostPromptAnswer, RemoteOutcome } from '@hvm/powershell';
import { scriptLimitRecord } from '@hvm/powershell';
import type { PowerShellLimits } from './limits.js';
import type { RunResult } from './objectsJson.js';
import { runQueued } from './runQueue.js';
import { userFilesFolder } from './scriptFiles.js';
import type { ScriptWorker, ScriptWorkerOptions } from './scriptWorkers.js';
import { ScriptWorkerPool } from './scriptWorkers.js';
import type { ConsoleSession } from './sessions.js';
import { ConsoleSessions } from './sessions.js';
import { realTimers, type Timers } from './timers.js';

/** Said when a session run's worker was ended: the session starts over empty (sessions.ts). */
const lostSession =
  ' Its console session lost its variables, functions and jobs; the next command starts a new one.';

/** What a client is answered: the next prompt of an interactive run, or its end. */
export type RunAnswer =
  | { status: 'prompt'; runId: string; prompt: HostPrompt; output: string }
  | ({ status: 'completed' | 'stopped'; runId: string } & RunResult);

export interface StartRun {
  /** The client's id for the run (to stop it while its request is open), else a new one. */
  runId?: string;
  /** The account that started the run: it (or an Administrator) may stop it. */
  owner: string;
  host: Host;
  inContext: <T>(fn: () => T) => T;
  script: string;
  width: number;
  interactive: boolean;
  /** Whether the result carries the output objects (false: the client shows the text only). */
  objects?: boolean;
  /** The console session the run belongs to (its jobs, variables and functions stay). */
  session?: ConsoleSession;
}

export class RunIdInUseError extends Error {
  override readonly name = 'RunIdInUseError';
}

/** The server's record of one run: its turn, its worker, its prompts, its answers to the client. */
export class ServerRun {
  private worker: ScriptWorker | null = null;
  private readonly answers: RunAnswer[] = [];
  private waiter: ((answer: RunAnswer) => void) | null = null;
  private pendingPromptId: number | null = null;
  private promptTimer: unknown = null;
  private stopTimer: unknown = null;
  private timeLimitTimer: unknown = null;
  private stopRequested: 'stopped' | 'timeout' | null = null;
  private outputSent = 0;
  /** The console text the worker reported so far (kept should the worker be ended). */
  private outputKnown = '';
  /** A run without a session started jobs (see execute). */
  private jobsStarted = false;
  finished = false;
  private readonly done: Promise<void>;
  private markDone: () => void = () => undefined;

  constructor(
    readonly runId: string,
    readonly owner: string,
    private readonly start: StartRun,
    private readonly service: PowerShellRuns,
  ) {
    this.done = new Promise((resolve) => {
      this.markDone = resolve;
    });
  }

  /** Resolves once the run ended (however it ended). */
  get ended(): Promise<void> {
    return this.done;
  }

  /** The next prompt or the end of the run. */
  next(): Promise<RunAnswer> {
    const ready = this.answers.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Answers the pending prompt; false when there is none. */
  answer(answer: HostPromptAnswer): boolean {
    const promptId = this.pendingPromptId;
    if (promptId === null || this.worker === null) return false;
    this.pendingPromptId = null;
    this.service.timers.clearTimeout(this.promptTimer);
    this.worker.answerPrompt(promptId, answer);
    if ('cancelled' in answer) void this.stop('stopped');
    else this.armTimeLimit();
    return true;
  }

  /** Stops the run (Ctrl+C, the stop API, a closed connection) and resolves once it ended. */
  stop(reason: 'stopped' | 'timeout' = 'stopped'): Promise<void> {
    if (this.finished || this.stopRequested !== null) return this.done;
    this.stopRequested = reason;
    const worker = this.worker;
    if (worker === null) {
      // Still waiting for its turn: it ends now, and gives the turn up when it comes.
      this.finish({ output: '', objects: [], errors: [], hadTerminatingError: false }, true);
      return this.done;
    }
    worker.requestStop(reason);
    const promptId = this.pendingPromptId;
    if (promptId !== null) {
      this.pendingPromptId = null;
      this.service.timers.clearTimeout(this.promptTimer);
      worker.answerPrompt(promptId, { cancelled: true });
    }
    // A script inside one long step cannot see the request: its worker is ended.
    this.stopTimer = this.service.timers.setTimeout(
      () => this.terminate(worker),
      this.service.limits.stopGraceMs,
    );
    return this.done;
  }

  /** Runs on a worker once the run's turn on the host has come. */
  async execute(): Promise<void> {
    if (this.finished) return;
    const session = this.start.session;
    const worker = session ? session.acquireWorker(this.service.pool) : this.service.pool.acquire();
    this.worker = worker;
    this.armTimeLimit();
    worker.run({
      runId: this.runId,
      script: this.start.script,
      width: this.start.width,
      interactive: this.start.interactive,
      objects: this.start.objects !== false,
      userName: this.start.owner,
      limits: this.service.limits.run,
      session: session
        ? {
            maxJobs: this.service.limits.maxJobsPerSession,
            maxJobItems: this.service.limits.maxJobItems,
          }
        : null,
      filesFolder:
        this.service.filesRoot === null
          ? null
          : userFilesFolder(this.service.filesRoot, this.owner),
      ...(this.service.fileLimits ? { fileLimits: this.service.fileLimits } : {}),
      host: this.start.host,
      ...(this.service.remote
        ? {
            remote: (computerName: string, script: string) =>
              this.service.remote?.(this.owner, computerName, script) ??
              Promise.resolve({ reached: false as const }),
          }
        : {}),
      inContext: this.start.inContext,
      onPrompt: (promptId, prompt, output) => this.prompted(promptId, prompt, output),
      onOutput: (text) => {
        this.outputKnown += text;
      },
      onDone: (result, stopped, jobsStarted) => {
        this.jobsStarted = jobsStarted;
        this.finish(result, stopped || this.stopRequested === 'stopped');
      },
      onFailed: (message) => this.failed(message),
    });
    await this.done;
    this.service.timers.clearTimeout(this.timeLimitTimer);
    this.service.timers.clearTimeout(this.stopTimer);
    // A worker whose run left jobs behind is not given to another user's run: it is ended.
    if (session === undefined && this.jobsStarted) worker.terminate();
    else if (session === undefined) this.service.pool.release(worker);
  }

  /**
   * The wall-clock limit guards the machine, not the user: it does not run while the script waits
   * at a prompt (the prompt timeout does), and each answer gives the script a whole limit again.
   */
  private armTimeLimit(): void {
    this.service.timers.clearTimeout(this.timeLimitTimer);
    this.timeLimitTimer = this.service.timers.setTimeout(
      () => void this.stop('timeout'),
      this.service.limits.timeLimitMs,
    );
  }

  private prompted(promptId: number, prompt: HostPrompt, output: string): void {
    this.service.timers.clearTimeout(this.timeLimitTimer);
    this.pendingPromptId = promptId;
    this.outputKnown = output;
    this.promptTimer = this.service.timers.setTimeout(() => {
      if (this.pendingPromptId === promptId) this.answer({ cancelled: true });
    }, this.service.limits.promptTimeoutMs);
    this.deliver({ status: 'prompt', runId: this.runId, prompt, output: this.unsent(output) });
  }

  private terminate(worker: ScriptWorker): void {
    if (this.finished) return;
    worker.terminate();
    const seconds = Math.round(this.service.limits.timeLimitMs / 1000);
    const record =
      this.stopRequested === 'timeout'
        ? [
            scriptLimitRecord(
              this.start.script,
              `The script ran longer than its time limit of ${seconds} seconds and was ended.${this.start.session ? lostSession : ''}`,
            ),
          ]
        : [];
    this.finish(
      {
        output: this.outputKnown + record.map((r) => r.text).join(''),
        objects: [],
        errors: record,
        hadTerminatingError: record.length > 0,
      },
      this.stopRequested === 'stopped',
    );
  }

  /**
   * The worker died under the script (its heap limit, or a bug): the run ends with a record that
   * says so, and the worker is replaced.
   */
  private failed(message: string): void {
    if (this.finished) return;
    if (this.stopRequested !== null && this.worker !== null) {
      this.terminate(this.worker);
      return;
    }
    const record = scriptLimitRecord(
      this.start.script,
      (/out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(message)
        ? `The script used more than ${this.service.limits.workerMemoryMb} MB of memory and was ended.`
        : `The script's worker ended unexpectedly (${message.split('\n')[0] ?? ''}).`) +
        (this.start.session ? lostSession : ''),
    );
    this.finish(
      {
        output: this.outputKnown + record.text,
        objects: [],
        errors: [record],
        hadTerminatingError: true,
      },
      false,
    );
  }

  private finish(result: RunResult, stopped: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.service.timers.clearTimeout(this.promptTimer);
    this.service.forget(this);
    const output = this.start.interactive ? this.unsent(result.output) : result.output;
    this.deliver({
      status: stopped ? 'stopped' : 'completed',
      runId: this.runId,
      ...result,
      output,
    });
    this.markDone();
  }

  /** Interactive runs send each piece of console text once: what came since the last answer. */
  private unsent(output: string): string {
    const text = output.slice(this.outputSent);
    this.outputSent = Math.max(this.outputSent, output.length);
    return text;
  }

  private deliver(answer: RunAnswer): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter(answer);
    else this.answers.push(answer);
  }
}

/** Apps of one process (tests make many) share their workers: one warm worker per kind. */
const pools = new Map<string, ScriptWorkerPool>();

function sharedPool(options: ScriptWorkerOptions): ScriptWorkerPool {
  const key = `${options.workerUrl?.href ?? 'default'}|${options.workerMemoryMb}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new ScriptWorkerPool(options);
    pools.set(key, pool);
  }
  return pool;
}

export interface PowerShellRunsOptions {
  limits: PowerShellLimits;
  timers?: Timers;
  workerUrl?: URL;
  /**
   * The folder holding each user's script files (`<data folder>/powershell-files`,
   * scriptFiles.ts); unset: scripts get no files (FileSystemNotAvailable).
   */
  filesRoot?: string;
  /** Size limits of a user's folder (default @hvm/powershell defaultFileLimits). */
  fileLimits?: Partial<FileLimits>;
  /** `-ComputerName` of another server: runs one command there as `owner` (hosts/remoteCommands.ts). */
  remote?: RemoteCommand;
}

export type RemoteCommand = (
  owner: string,
  computerName: string,
  script: string,
) => Promise<RemoteOutcome>;

/** Every run of the server, by id. */
export class PowerShellRuns {
  readonly limits: PowerShellLimits;
  readonly timers: Timers;
  readonly pool: ScriptWorkerPool;
  readonly sessions: ConsoleSessions;
  private readonly runs = new Map<string, ServerRun>();
  readonly filesRoot: string | null;
  readonly fileLimits: Partial<FileLimits> | undefined;
  readonly remote: RemoteCommand | undefined;

  constructor(options: PowerShellRunsOptions) {
    this.remote = options.remote;
    this.limits = options.limits;
    this.filesRoot = options.filesRoot ?? null;
    this.fileLimits = options.fileLimits;
    this.timers = options.timers ?? realTimers;
    this.pool = sharedPool({
      workerMemoryMb: options.limits.workerMemoryMb,
      ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
    });
    this.sessions = new ConsoleSessions(this.limits, this.timers);
  }

  /** Queues a run; throws RunIdInUseError or RunQueueFullError. */
  start(start: StartRun): ServerRun {
    const runId = start.runId ?? randomUUID();
    if (this.runs.has(runId)) throw new RunIdInUseError(`A run with ID '${runId}' exists.`);
    const run = new ServerRun(runId, start.owner, start, this);
    const session = start.session;
    void runQueued(start.host, () => run.execute(), this.limits.maxQueuedRuns);
    session?.begin();
    void run.ended.then(() => session?.end());
    this.runs.set(runId, run);
    return run;
  }

  get(runId: string): ServerRun | undefined {
    return this.runs.get(runId);
  }

  forget(run: ServerRun): void {
    if (this.runs.get(run.runId) === run) this.runs.delete(run.runId);
  }

  /** Stops every run and ends the sessions (the shared warm worker stays for other apps). */
  close(): void {
    for (const run of this.runs.values()) void run.stop();
    this.sessions.closeAll();
  }
}
