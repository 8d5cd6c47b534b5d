/**
 * The messages between the server and its script worker (scriptWorker.ts). The worker runs
 * `@hvm/powershell` on a host object that forwards every call to the real host on the main thread:
 * synchronous host methods (listVms, getVm, ...) block the worker on a shared flag until the answer
 * is there; asynchronous ones await a message. Errors travel as data and are rebuilt as the same
 * classes on the other side (EngineError with its code and details), so the cmdlets' `instanceof`
 * checks hold.
 */
import type { MessagePort } from 'node:worker_threads';
import { EngineError } from '@hvm/engine';
import type { ErrorCode, Host } from '@hvm/engine';
import type {
  FileLimits,
  HostPrompt,
  HostPromptAnswer,
  PowerShellResult,
  RunLimits,
  SessionLimits,
} from '@hvm/powershell';

/** Host methods that answer synchronously: the worker blocks until their answer is back. */
export const synchronousHostMethods: ReadonlySet<string> = new Set<keyof Host>([
  'info',
  'listVms',
  'getVm',
  'getVmSummary',
  'findVmsByName',
  'listCheckpoints',
  'getCheckpoint',
  'listGuestImages',
  'getGuestConsole',
  'listReferencePoints',
  'listTasks',
  'getTask',
]);

/** Host methods a script may not reach through the worker at all. */
export const unreachableHostMethods: ReadonlySet<string> = new Set<keyof Host>([
  'withActor',
  'close',
  // A viewer is a function: it cannot cross to the worker (no cmdlet watches a console).
  'connectSerialConsole',
]);

/** The answer to a `reads` message: one outcome per read (none: nothing was read ahead). */
export interface ReadsAnswer {
  callId: number;
  outcomes: CallOutcome[];
}

/**
 * Reads one `reads` message may ask: a window of the read-ahead (up to four reads for each of its
 * READ_AHEAD_WINDOW items) fits, and what the main thread does for one message stays bounded.
 */
export const MAX_READS_AHEAD = 2000;

/** Slots of the worker's shared Int32Array. */
export const Slot = {
  /**
   * How many answers the main thread posted on the synchronous port (it adds one after each): the
   * worker waits for it to change (a window read ahead may be answered while another is asked).
   */
  syncAnswers: 0,
  /** What the run was asked: 0 nothing, 1 stop (Ctrl+C), 2 the time limit passed. */
  stopRequest: 1,
} as const;
export const StopRequest = { none: 0, stopped: 1, timeout: 2 } as const;
export const sharedSlots = 2;

export interface WorkerStart {
  /** Shared flags (Slot). */
  shared: SharedArrayBuffer;
  /** The port the server posts synchronous answers on (read with receiveMessageOnPort). */
  syncAnswers: MessagePort;
}

export type SerializedError =
  | { kind: 'engine'; code: ErrorCode; message: string; details: Record<string, unknown> }
  | { kind: 'error'; message: string; name: string };

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** Server → worker. */
export type ToWorker =
  | {
      type: 'run';
      runId: string;
      script: string;
      width: number;
      limits: RunLimits;
      interactive: boolean;
      /** false: the result leaves the output objects out (RunOptions.objects). */
      objects?: boolean;
      /** The signed-in user the run is for: the script's `$env:USERNAME`. */
      userName?: string;
      /**
       * A console session's run: the worker keeps one PowerShell session (jobs, variables,
       * functions) for all its runs, with these limits. Null: the run is a session of its own.
       */
      session: SessionLimits | null;
      /** The user's own folder, the script's drive `Files:\` (scriptFiles.ts); null: no files. */
      filesFolder?: string | null;
      /** Size limits of that folder (this server's). */
      fileLimits?: Partial<FileLimits>;
    }
  | { type: 'answer'; callId: number; outcome: CallOutcome }
  | { type: 'event'; subscriptionId: number; event: unknown }
  | { type: 'prompt-answer'; promptId: number; answer: HostPromptAnswer };

/** Worker → server. */
export type FromWorker =
  | { type: 'call'; callId: number; method: string; args: unknown[]; sync: boolean }
  /**
   * Synchronous host reads asked ahead in one go (`@hvm/powershell`'s read-ahead), answered on the
   * synchronous port as `ReadsAnswer`, each outcome in the order asked.
   */
  | { type: 'reads'; callId: number; reads: { method: string; args: unknown[] }[] }
  | { type: 'subscribe'; subscriptionId: number }
  /** `-ComputerName` of another server: one command to run there (answered as a call). */
  | { type: 'remote'; callId: number; computerName: string; script: string }
  | { type: 'unsubscribe'; subscriptionId: number }
  | { type: 'prompt'; promptId: number; prompt: HostPrompt; output: string }
  /** Console text written since the last one (the server keeps it should the worker be ended). */
  | { type: 'output'; text: string }
  /** `jobsStarted`: a run without a session started jobs (the worker may still be busy for them). */
  | {
      type: 'done';
      runId: string;
      /**
       * The result; its `objects` are empty when `objectsJson` holds them (the UTF-8 JSON text of
       * their array, its buffer transferred: objectsJson.ts).
       */
      result: PowerShellResult;
      objectsJson?: Uint8Array;
      stopped: boolean;
      jobsStarted: boolean;
    }
  | { type: 'failed'; runId: string; message: string };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof EngineError)
    return {
      kind: 'engine',
      code: error.code,
      message: error.message,
      details: { ...error.details },
    };
  if (error instanceof Error) return { kind: 'error', message: error.message, name: error.name };
  return { kind: 'error', message: String(error), name: 'Error' };
}

export function deserializeError(error: SerializedError): Error {
  if (error.kind === 'engine') return new EngineError(error.code, error.message, error.details);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
