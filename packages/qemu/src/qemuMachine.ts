/**
 * One virtual machine as a qemu-system-x86_64 process. The host listens on private Unix sockets
 * that QEMU connects to (its QMP monitor and the guest agent's port), reads the serial console from
 * QEMU's standard output, and drives the machine over QMP: start, pause, resume, ACPI power-down,
 * quit, saving the device and memory state to a file (QMP `migrate`, in the foreground or while
 * the machine runs on: stateFile.ts) and restoring it (`-incoming`). QEMU always starts stopped (`-S`): `start` lets the processors run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inheritedDescriptors, qemuArguments, type QemuMachineConfig } from './machineArgs.js';
import { QgaClient } from './qga.js';
import { QmpClient, QmpClosedError } from './qmp.js';
import {
  saveStateInForeground,
  saveStateWhileRunning,
  type BackgroundSave,
  type BackgroundSaveRefused,
  type SaveProgress,
} from './stateFile.js';
import { SerialConsole } from './serialConsole.js';

export interface LaunchOptions {
  /** Restores the state saved in this file (by `saveState`) instead of booting. */
  restoreFrom?: string;
  /** The QEMU binary (default `qemu-system-x86_64` from PATH). */
  qemuBinary?: string;
  /** Time for QEMU to come up and for QMP commands (default 20 s). */
  timeoutMs?: number;
}

export interface MachineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** QEMU's run states (QMP `query-status`), the ones this host meets. */
export type RunState =
  | 'prelaunch'
  | 'inmigrate'
  | 'running'
  | 'paused'
  | 'postmigrate'
  | 'finish-migrate'
  | 'shutdown'
  | 'internal-error'
  | 'guest-panicked'
  | (string & {});

const MAX_STDERR_BYTES = 16 * 1024;

const sandboxOf = new Map<string, boolean>();

/**
 * Whether this QEMU has `-sandbox` (it is built with seccomp): a QEMU without it refuses the option
 * before it reads `-version`. Asked once per binary.
 */
export function qemuHasSandbox(qemuBinary: string): boolean {
  let has = sandboxOf.get(qemuBinary);
  if (has === undefined) {
    has = spawnSync(qemuBinary, ['-sandbox', 'on', '-version'], { stdio: 'ignore' }).status === 0;
    sandboxOf.set(qemuBinary, has);
  }
  return has;
}

function acceptOne(
  server: Server,
  timeoutMs: number,
  exited: Promise<unknown>,
  what: string,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`QEMU did not connect ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    server.once('connection', (socket: Socket) => {
      clearTimeout(timer);
      resolve(socket);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`QEMU exited before it connected ${what}`));
    });
  });
}

async function listen(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The most typed input that may wait for QEMU to read it from the console's pipe. */
export const CONSOLE_INPUT_MAX_PENDING_BYTES = 64 * 1024;

export class QemuMachine {
  /** The guest's serial console. */
  readonly console: SerialConsole;
  /** Resolves when the QEMU process has ended (and its sockets are removed). */
  readonly exited: Promise<MachineExit>;

  private constructor(
    readonly config: QemuMachineConfig,
    private readonly child: ChildProcess,
    readonly qmp: QmpClient,
    /** The guest agent's port; `undefined` when the machine has none. */
    readonly guestAgent: QgaClient | undefined,
    consoleOutput: SerialConsole,
    exited: Promise<MachineExit>,
    private readonly readStderr: () => string,
  ) {
    this.console = consoleOutput;
    this.exited = exited;
  }

  /**
   * The QEMU process's id (undefined when it could not be started): what is left to kill when the
   * process that launched it is killed, since QEMU outlives its parent.
   */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What QEMU wrote to its standard error (the last 16 KiB). */
  get errorOutput(): string {
    return this.readStderr();
  }

  /**
   * Starts QEMU with the processors stopped. With `restoreFrom`, resolves once the saved state is
   * loaded (the machine is then paused where it was saved).
   */
  static async launch(
    config: QemuMachineConfig,
    options: LaunchOptions = {},
  ): Promise<QemuMachine> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const runtimeDir = await mkdtemp(join(tmpdir(), 'hvm-qemu-'));
    const sockets = { qmp: join(runtimeDir, 'qmp.sock'), guestAgent: join(runtimeDir, 'qga.sock') };
    const servers: Server[] = [];
    const closeServers = (): void => {
      for (const server of servers) server.close();
    };
    try {
      const qmpServer = await listen(sockets.qmp);
      servers.push(qmpServer);
      const qgaServer = config.guestAgent ? await listen(sockets.guestAgent) : undefined;
      if (qgaServer !== undefined) servers.push(qgaServer);
      const binary = options.qemuBinary ?? 'qemu-system-x86_64';
      const sandbox = (config.sandbox ?? true) && qemuHasSandbox(binary);
      const args = qemuArguments({ ...config, sandbox }, sockets, options.restoreFrom);
      const child = spawn(binary, args, {
        stdio: ['pipe', 'pipe', 'pipe', ...inheritedDescriptors(config.disk)],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR_BYTES);
      });
      const serial = new SerialConsole();
      child.stdout?.on('data', (chunk: Buffer) => serial.push(chunk));
      child.stdin?.on('error', () => undefined);
      const processEnded = new Promise<MachineExit>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.once('error', (error) => {
          stderr += error.message;
          resolve({ code: null, signal: null });
        });
      });
      const exited = processEnded.then(async (exit) => {
        closeServers();
        await rm(runtimeDir, { recursive: true, force: true });
        return exit;
      });
      try {
        // QEMU connects both at once: listen for both before waiting for either.
        const qmpConnected = acceptOne(qmpServer, timeoutMs, processEnded, 'its QMP monitor');
        const qgaConnected =
          qgaServer === undefined
            ? Promise.resolve(undefined)
            : acceptOne(qgaServer, timeoutMs, processEnded, 'the guest agent port');
        qgaConnected.catch(() => undefined);
        const qmp = await QmpClient.negotiate(await qmpConnected, { commandTimeoutMs: timeoutMs });
        const qgaSocket = await qgaConnected;
        closeServers();
        const agent = qgaSocket === undefined ? undefined : new QgaClient(qgaSocket);
        const machine = new QemuMachine(config, child, qmp, agent, serial, exited, () => stderr);
        if (options.restoreFrom !== undefined) await machine.waitForIncoming(timeoutMs);
        return machine;
      } catch (error) {
        child.kill('SIGKILL');
        await exited;
        const detail = stderr.trim();
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}${detail === '' ? '' : `: ${detail}`}`,
          { cause: error },
        );
      }
    } catch (error) {
      closeServers();
      await rm(runtimeDir, { recursive: true, force: true });
      throw error;
    }
  }

  private async waitForIncoming(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.status();
      if (state !== 'inmigrate') {
        if (state !== 'paused' && state !== 'prelaunch' && state !== 'postmigrate')
          throw new Error(`the saved state left the machine ${state}`);
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`the saved state was not loaded within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** QEMU's run state (`query-status`). */
  async status(): Promise<RunState> {
    const result = await this.qmp.execute<{ status: string }>('query-status');
    return result.status;
  }

  /** Lets the processors run (first start, or after a restore). */
  async start(): Promise<void> {
    await this.qmp.execute('cont');
  }

  /** Pauses the processors (QMP `stop`); QEMU drains and flushes the disks first. */
  async pause(): Promise<void> {
    await this.qmp.execute('stop');
  }

  async resume(): Promise<void> {
    await this.qmp.execute('cont');
  }

  /** Presses the ACPI power button (`system_powerdown`); the guest decides what to do. */
  async pressPowerButton(): Promise<void> {
    await this.qmp.execute('system_powerdown');
  }

  /**
   * Saves the device and memory state into `file` (stateFile.ts) and returns once the file is
   * durable. The machine must be paused; it stays paused (QEMU's `postmigrate`) until `resume` or
   * `quit`.
   */
  async saveState(file: string, timeoutMs = 120_000, progress: SaveProgress = {}): Promise<void> {
    await this.requirePaused();
    await saveStateInForeground(this.qmp, file, timeoutMs, progress);
  }

  /**
   * Saves the state of the running machine into `file` by pre-copy (stateFile.ts): resolves once
   * QEMU has stopped it at the end (`postmigrate`, until `resume`), with `written` for the file's
   * durability. When QEMU refuses or fails first, the machine still runs and the answer says why.
   */
  async saveStateWhileRunning(
    file: string,
    progress: SaveProgress = {},
    timeoutMs = 30 * 60_000,
  ): Promise<BackgroundSave | BackgroundSaveRefused> {
    const state = await this.status();
    if (state !== 'running')
      throw new Error(`the machine must be running to save its state this way (it is ${state})`);
    return saveStateWhileRunning(this.qmp, file, timeoutMs, progress);
  }

  private async requirePaused(): Promise<void> {
    const state = await this.status();
    if (state !== 'paused' && state !== 'postmigrate' && state !== 'prelaunch')
      throw new Error(`the machine must be paused to save its state (it is ${state})`);
  }

  /** Ends QEMU at once (QMP `quit`, like pulling the plug); resolves when the process is gone. */
  async quit(timeoutMs = 10_000): Promise<MachineExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.qmp.execute('quit').catch((error: unknown) => {
        if (!(error instanceof QmpClosedError)) throw error;
      });
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process (SIGKILL) and waits for it. */
  async kill(): Promise<MachineExit> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Types into the serial console. */
  writeConsole(text: string): void {
    this.child.stdin?.write(text);
  }

  /**
   * Types bytes into the serial console unless more than `CONSOLE_INPUT_MAX_PENDING_BYTES` typed
   * earlier still wait for QEMU to read them (a paused guest reads nothing): then nothing is
   * written and the answer is false, so what waits for the guest stays bounded.
   */
  typeIntoConsole(bytes: Uint8Array): boolean {
    const stdin = this.child.stdin;
    if (stdin === null || stdin.destroyed || !stdin.writable) return false;
    if (stdin.writableLength + bytes.length > CONSOLE_INPUT_MAX_PENDING_BYTES) return false;
    stdin.write(bytes);
    return true;
  }
}
