import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverEntry = join(repositoryRoot, 'apps', 'server', 'dist', 'main.js');

export interface ServerProcessOptions {
  /** More environment for the server, e.g. `{ HYPERV_AUTH: 'required' }`. */
  env?: Record<string, string>;
  /**
   * How long the server may take to answer; default 30 s. A QEMU server first probes KVM by
   * booting the guest kernel, close to 30 s under TCG on a loaded machine.
   */
  readyTimeoutMs?: number;
}

/** The built server as a child process on its own port and data folder; restartable on the same data. */
export class ServerProcess {
  readonly dataDir: string;
  private child: ChildProcess | null = null;

  constructor(
    readonly port: number,
    private readonly options: ServerProcessOptions = {},
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'hyperv-e2e-'));
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!existsSync(serverEntry)) {
      throw new Error(`${serverEntry} is missing: build first (npm run e2e builds it).`);
    }
    const child = spawn(process.execPath, [serverEntry], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        HYPERV_DATA_DIR: this.dataDir,
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await this.waitUntilReady(() => output);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null) {
      this.child = null;
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async waitUntilReady(output: () => string): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exitCode = this.child?.exitCode;
      if (exitCode !== null && exitCode !== undefined) {
        throw new Error(`The server exited with ${exitCode}:\n${output()}`);
      }
      try {
        const response = await fetch(`${this.baseURL}/api/v1/host`);
        // 401: listening, with sign-in required.
        if (response.ok || response.status === 401) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The server did not answer within ${timeoutMs / 1000} s:\n${output()}`);
  }
}
