/**
 * The loop of a script worker: a worker thread that runs one PowerShell script at a time, off the
 * server's event loop, on a host that forwards to the real one (workerHost.ts). The server can
 * terminate it at any moment; a script stuck in a loop then costs a thread, never the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Host } from '@hvm/engine';
import { PowerShellSession, confinedFileSystem } from '@hvm/powershell';
import type {
  HostPromptAnswer,
  HostPrompter,
  PowerShellResult,
  RunOptions,
  StopReason,
} from '@hvm/powershell';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.js';
import { Slot, StopRequest } from './protocol.js';
import { WorkerHostBridge } from './workerHost.js';
import { ObjectsJson } from './objectsJson.js';

/** What the loop runs: `PowerShellRun` (a test worker may wrap it). */
export interface ScriptRun {
  outputSoFar(): string;
  readonly stopped: boolean;
  run(): Promise<PowerShellResult>;
}
export type CreateRun = (
  host: Host,
  script: string,
  options: RunOptions,
  /** Passes console text on as it is written (the server keeps it should the worker be ended). */
  onOutput: (text: string) => void,
) => ScriptRun;

/** Serves the server's run requests on this worker thread until it is terminated. */
export function serveScripts(createRun: CreateRun): void {
  const port = parentPort;
  if (port === null) throw new Error('The script worker runs as a worker thread only.');
  const start = workerData as WorkerStart;
  const flags = new Int32Array(start.shared);
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  const bridge = new WorkerHostBridge(flags, start.syncAnswers, post);

  let nextPromptId = 1;
  /** The console session of this worker (a session's worker serves that session only). */
  let consoleSession: PowerShellSession | null = null;
  const pendingPrompts = new Map<number, (answer: HostPromptAnswer) => void>();

  function shouldStop(): StopReason | null {
    const request = Atomics.load(flags, Slot.stopRequest);
    if (request === StopRequest.stopped) return 'stopped';
    if (request === StopRequest.timeout) return 'timeout';
    return null;
  }

  async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
    let current: ScriptRun | null = null;
    const prompt: HostPrompter = (hostPrompt) =>
      new Promise<HostPromptAnswer>((resolve) => {
        const promptId = nextPromptId++;
        pendingPrompts.set(promptId, resolve);
        post({
          type: 'prompt',
          promptId,
          prompt: hostPrompt,
          output: current?.outputSoFar() ?? '',
        });
      });
    try {
      const onOutput = (text: string): void => post({ type: 'output', text });
      const session =
        message.session === null
          ? new PowerShellSession()
          : (consoleSession ??= new PowerShellSession(message.session));
      current = createRun(
        bridge.host,
        message.script,
        {
          width: message.width,
          limits: message.limits,
          shouldStop,
          session,
          // `$env:` holds only these two, never the server process's environment.
          environment: {
            COMPUTERNAME: bridge.host.info().name,
            USERNAME: message.userName,
          },
          ...(message.interactive ? { prompt } : {}),
          ...(message.objects === false ? { objects: false } : {}),
          remoteComputers: {
            invoke: (computerName, script) => bridge.remote(computerName, script),
          },
          ...(message.filesFolder
            ? { fileSystem: confinedFileSystem(message.filesFolder, message.fileLimits ?? {}) }
            : {}),
        },
        onOutput,
      );
      const result = await current.run();
      // A run of its own ends its jobs with it, as powershell.exe does when it exits.
      if (message.session === null) session.stopAll();
      const done = {
        type: 'done' as const,
        runId: message.runId,
        stopped: current.stopped,
        jobsStarted: message.session === null && session.jobs.length > 0,
      };
      // The objects cross as one transferred buffer of JSON (objectsJson.ts), else as they are.
      const json = result.objects.length === 0 ? null : ObjectsJson.of(result.objects);
      if (json === null) post({ ...done, result });
      else
        post({ ...done, result: { ...result, objects: [] }, objectsJson: json.bytes }, [
          json.bytes.buffer as ArrayBuffer,
        ]);
    } catch (error) {
      post({
        type: 'failed',
        runId: message.runId,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }

  port.on('message', (message: ToWorker) => {
    if (bridge.receive(message)) return;
    if (message.type === 'prompt-answer') {
      const resolve = pendingPrompts.get(message.promptId);
      pendingPrompts.delete(message.promptId);
      resolve?.(message.answer);
      return;
    }
    if (message.type === 'run') void run(message);
  });
}
