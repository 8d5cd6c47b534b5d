/**
 * A host process of the vhost-user-blk kill trials, seen from the parent: starts
 * vhostUserHostDriver.ts in a child Node process, reads the events it prints, and kills it and its
 * QEMU by pid. QEMU is the driver's child but outlives it (nothing ends it when its parent is
 * killed), so both pids are kept in `processes` until each is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostEvent, HostJob } from './vhostUserHostDriver.js';

const here = dirname(fileURLToPath(import.meta.url));

function driverCommand(): string[] {
  if (import.meta.url.endsWith('.ts'))
    return ['--import', 'tsx', join(here, 'vhostUserHostDriver.ts')];
  return [join(here, 'vhostUserHostDriver.js')];
}

/** Whether `pid` still names a process that is not a zombie (a zombie has ended, unreaped). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILLs `pid` if it is still there; never throws. */
export function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Waits until every pid has ended (polling; QEMU is not this process's child). */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(processAlive)) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(', ')} did not end`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class HostProcess {
  private readonly events: HostEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  private ended = false;
  private qemuPid: number | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly processes: Set<number>,
  ) {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        this.receive(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8000);
    });
    child.once('exit', () => {
      this.ended = true;
      this.wake();
    });
  }

  /**
   * Starts the driver on `job`; its pid joins `processes` (QEMU's once it is told). Its temporary
   * files go to `temporaryFolder` (TMPDIR): a killed host leaves QEMU's runtime folder behind.
   */
  static start(job: HostJob, processes: Set<number>, temporaryFolder: string): HostProcess {
    const child = spawn(process.execPath, [...driverCommand(), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      /* eslint-disable-next-line no-restricted-properties -- the child gets this environment, its TMPDIR aside */
      env: { ...process.env, TMPDIR: temporaryFolder },
    });
    if (child.pid !== undefined) processes.add(child.pid);
    return new HostProcess(child, processes);
  }

  private receive(text: string): void {
    const event = JSON.parse(text) as HostEvent;
    if (event.event === 'started') {
      this.qemuPid = event.qemuPid;
      this.processes.add(event.qemuPid);
    }
    this.events.push(event);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Every event received so far, oldest first. */
  get received(): readonly HostEvent[] {
    return this.events;
  }

  /**
   * The first event (already received or to come) that `accept` maps to a value; fails when the
   * driver ends first or after `timeoutMs`, with the end of what the driver wrote to stderr.
   */
  waitFor<T>(accept: (event: HostEvent) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (const event of this.events) {
          const value = accept(event);
          if (value !== undefined) {
            finish();
            resolve(value);
            return;
          }
        }
        if (this.ended) {
          finish();
          reject(new Error(`the host process ended first; its stderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`nothing awaited came in ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** SIGKILLs the host process, then QEMU, and waits until both are gone. */
  async kill(): Promise<void> {
    // Only pids not yet known gone: a pid that ended may already name another process.
    const pids = [this.child.pid, this.qemuPid].filter(
      (pid): pid is number => pid !== undefined && this.processes.has(pid),
    );
    for (const pid of pids) killPid(pid);
    await waitUntilGone(pids, 10_000);
    for (const pid of pids) this.processes.delete(pid);
  }
}
