import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseGuestSerialLine, type GuestSerialLine } from '../serialLine.js';
import type { GuestImage } from '../guestImage.js';
import { JsonLineSocket } from './jsonLineSocket.js';

/**
 * Boots a guest image with qemu-system-x86_64 directly (TCG, q35, serial on stdout, the data disk
 * a raw file on virtio-blk, the agent's virtio-serial port on a Unix socket), with no product code.
 */
export class QemuGuest {
  readonly serial: string[] = [];
  private readonly parsed: GuestSerialLine[] = [];
  private partial = '';
  private readonly wakers = new Set<() => void>();
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly qmpPath: string,
    readonly agentPath: string,
  ) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => this.onSerial(text));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => this.serial.push(`[qemu stderr] ${text.trim()}`));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.exitCode = code;
        this.wake();
        resolve(code);
      });
    });
  }

  /** Boots the image; with `incomingState`, QEMU instead loads a saved state and waits for `cont`. */
  static start(image: GuestImage, disk: string, dir: string, incomingState?: string): QemuGuest {
    const qmpPath = path.join(dir, 'qmp.sock');
    const agentPath = path.join(dir, 'qga.sock');
    // prettier-ignore
    const args = [
      '-accel', 'tcg',
      '-machine', 'q35',
      '-m', '256M',
      '-nodefaults',
      '-no-user-config',
      '-display', 'none',
      '-serial', 'stdio',
      '-no-reboot',
      '-kernel', image.kernel,
      '-initrd', image.initrd,
      '-append', image.cmdline,
      '-drive', `file=${disk},format=raw,if=none,id=data0,cache=writeback`,
      '-device', 'virtio-blk-pci,drive=data0',
      '-device', 'virtio-serial-pci',
      '-chardev', `socket,path=${agentPath},server=on,wait=off,id=agent0`,
      '-device', 'virtserialport,chardev=agent0,name=org.qemu.guest_agent.0',
      '-qmp', `unix:${qmpPath},server=on,wait=off`,
    ];
    if (incomingState !== undefined) args.push('-incoming', `exec:cat '${incomingState}'`);
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return new QemuGuest(child, qmpPath, agentPath);
  }

  private onSerial(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.replace(/\r$/, ''); // the serial console ends lines with CR LF
      this.serial.push(line);
      const parsed = parseGuestSerialLine(line);
      if (parsed) this.parsed.push(parsed);
    }
    this.wake();
  }

  private wake(): void {
    for (const waker of this.wakers) waker();
  }

  /** The machine-readable lines so far. */
  lines(): readonly GuestSerialLine[] {
    return this.parsed;
  }

  /**
   * Waits for the first machine-readable line (from index `from` on) that `match` accepts. Fails
   * when QEMU exits first or after `timeoutMs` (a bound for a hung guest, not a speed goal).
   */
  async waitFor<T extends GuestSerialLine>(
    match: (line: GuestSerialLine) => line is T,
    timeoutMs: number,
    from = 0,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.parsed.slice(from).find(match);
      if (found) return found;
      if (this.exitCode !== undefined) {
        throw new Error(`QEMU exited (${String(this.exitCode)}):\n${this.serial.join('\n')}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such serial line in time:\n${this.serial.join('\n')}`);
      await new Promise<void>((resolve) => {
        const waker = (): void => {
          this.wakers.delete(waker);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(waker, Math.min(left, 1000));
        this.wakers.add(waker);
      });
    }
  }

  /** Opens a socket QEMU serves, retrying briefly while QEMU creates it. */
  private async open(socketPath: string): Promise<JsonLineSocket> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await JsonLineSocket.connect(socketPath);
      } catch (error) {
        if (attempt >= 50 || this.exitCode !== undefined) throw error;
        await delay(100);
      }
    }
  }

  async qmp(): Promise<JsonLineSocket> {
    const qmp = await this.open(this.qmpPath);
    await qmp.qmpHandshake();
    return qmp;
  }

  async agent(): Promise<JsonLineSocket> {
    const agent = await this.open(this.agentPath);
    await agent.agentSync(Math.floor(Math.random() * 1e9));
    return agent;
  }

  /**
   * Saves the running guest's memory and devices to `file` (QMP stop, then migrate to a file, as
   * a saved state is taken) and quits QEMU.
   */
  async saveState(file: string): Promise<void> {
    const qmp = await this.qmp();
    try {
      await qmp.execute('stop');
      await qmp.execute('migrate', { uri: `exec:cat > '${file}'` });
      for (;;) {
        const { status } = (await qmp.execute('query-migrate')) as { status?: string };
        if (status === 'completed') break;
        if (status === 'failed' || status === 'cancelled') throw new Error(`migrate ${status}`);
        await delay(200);
      }
      await qmp.execute('quit');
    } finally {
      qmp.close();
    }
    await this.exited;
  }

  /** Starts a guest loaded with `-incoming`: waits for the state to load, then continues it. */
  async resume(): Promise<void> {
    const qmp = await this.qmp();
    try {
      for (;;) {
        const { status } = (await qmp.execute('query-status')) as { status: string };
        if (status !== 'inmigrate') break;
        await delay(200);
      }
      await qmp.execute('cont');
    } finally {
      qmp.close();
    }
  }

  /** Hard stop (Turn Off): QEMU is killed and the guest gets no chance to flush. */
  async kill(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export const isBoot = (l: GuestSerialLine): l is Extract<GuestSerialLine, { kind: 'boot' }> =>
  l.kind === 'boot';
export const isCheck = (
  l: GuestSerialLine,
): l is Extract<GuestSerialLine, { kind: 'ledger-check' }> => l.kind === 'ledger-check';
export const isReady = (l: GuestSerialLine): l is Extract<GuestSerialLine, { kind: 'ready' }> =>
  l.kind === 'ready';
export const isLedger = (l: GuestSerialLine): l is Extract<GuestSerialLine, { kind: 'ledger' }> =>
  l.kind === 'ledger';
export const isPoweroff = (
  l: GuestSerialLine,
): l is Extract<GuestSerialLine, { kind: 'poweroff' }> => l.kind === 'poweroff';
