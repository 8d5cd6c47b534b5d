/**
 * QemuMachine against the real qemu-system-x86_64 under TCG, with no operating system: the
 * firmware runs and finds nothing to boot, which is enough for QMP, pausing, saving the state to
 * a file and restoring it, and for disk writes through QEMU's block layer (HMP `qemu-io`).
 */
import { closeSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectedSocketPair,
  memoryBlockExport,
  serveNbdOnSocketPair,
  startNbdServer,
} from '@hvm/nbd';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QemuMachine } from './qemuMachine.js';
import type { QemuMachineConfig } from './machineArgs.js';
import { QmpError } from './qmp.js';
import { SwitchableDisk } from './switchableDisk.js';
import { requireTool } from '@hvm/nbd/testing';

const MiB = 1024 * 1024;
const config: QemuMachineConfig = {
  name: 'test VM',
  memoryMiB: 64,
  processorCount: 1,
  accelerator: 'tcg',
  guestAgent: false,
};

let dir: string;
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-machine-test-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function launch(
  c: QemuMachineConfig,
  options: { restoreFrom?: string } = {},
): Promise<QemuMachine> {
  const machine = await QemuMachine.launch(c, options);
  cleanups.push(() => machine.kill());
  return machine;
}

/** The guest's first MiB of RAM, read through QMP `pmemsave`. */
async function lowMemory(machine: QemuMachine, name: string): Promise<Buffer> {
  const file = join(dir, name);
  await machine.qmp.execute('pmemsave', { val: 0, size: MiB, filename: file });
  return readFile(file);
}

describe('a QEMU virtual machine (TCG, no operating system)', { timeout: 60_000 }, () => {
  it('refuses console input beyond a bound while nothing in the machine reads it', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    // Stopped before its firmware runs, nothing reads the serial port: typed bytes pile up in the
    // pipe, then in the host's buffer, until the bound refuses more.
    const machine = await launch(config);
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    let accepted = 0;
    for (let i = 0; i < 64 && machine.typeIntoConsole(chunk); i += 1) accepted += chunk.length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(64 * chunk.length);
    expect(machine.typeIntoConsole(chunk)).toBe(false);
  });

  it('launches stopped, starts, pauses with a STOP event, resumes and quits', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    expect(machine.qmp.version?.major).toBeGreaterThanOrEqual(7);
    expect(await machine.status()).toBe('prelaunch');
    await machine.start();
    expect(await machine.status()).toBe('running');
    const stopped = machine.qmp.waitForEvent('STOP', 10_000);
    await machine.pause();
    await stopped;
    expect(await machine.status()).toBe('paused');
    await machine.resume();
    expect(await machine.status()).toBe('running');
    const exit = await machine.quit();
    expect(exit.code).toBe(0);
  });

  it("gives the QEMU process's pid, which names QEMU until it has quit", async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    const pid = machine.pid ?? -1;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('qemu-system-x86_64');
    await machine.quit();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it("passes QEMU's refusal of a command on with its error class", async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    const failure = machine.qmp.execute('no-such-command');
    await expect(failure).rejects.toBeInstanceOf(QmpError);
    await expect(failure).rejects.toMatchObject({ errorClass: 'CommandNotFound' });
    expect(await machine.status()).toBe('prelaunch');
  });

  it('fails to launch with what QEMU said when QEMU refuses the configuration', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    await expect(
      QemuMachine.launch({ ...config, kernel: { kernel: join(dir, 'missing-kernel') } }),
    ).rejects.toThrow(/missing-kernel/);
  });

  it('saves the paused state to a file and restores it into a new process exactly', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    await machine.start();
    await machine.console.waitForLine(/./, 100).catch(() => undefined);
    await machine.pause();
    const before = await lowMemory(machine, 'before.bin');
    const stateFile = join(dir, "saved 'state'.vmrs");
    await machine.saveState(stateFile);
    expect((await stat(stateFile)).size).toBeGreaterThan(0);
    expect(await machine.status()).toBe('postmigrate');
    await machine.quit();

    const restored = await launch(config, { restoreFrom: stateFile });
    expect(await restored.status()).toBe('paused');
    const after = await lowMemory(restored, 'after.bin');
    expect(Buffer.compare(after, before)).toBe(0);
    await restored.start();
    expect(await restored.status()).toBe('running');
  });

  it('saves the state of a running machine by pre-copy: QEMU stops it at the end, and the file restores the memory as it was then', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    await machine.start();
    const shares: number[] = [];
    const save = await machine.saveStateWhileRunning(join(dir, 'precopy.vmrs'), {
      onProgress: (share) => shares.push(share),
    });
    if ('refused' in save) throw new Error(`QEMU refused to save: ${save.refused}`);
    expect(await machine.status()).toBe('postmigrate');
    const atStop = await lowMemory(machine, 'at-stop.bin');
    await save.written;
    expect(shares.at(-1)).toBe(1);
    await machine.resume();
    expect(await machine.status()).toBe('running');
    await machine.quit();

    const restored = await launch(config, { restoreFrom: join(dir, 'precopy.vmrs') });
    expect(Buffer.compare(await lowMemory(restored, 'after.bin'), atStop)).toBe(0);
  });

  it('resumes at once after a pre-copy save: QEMU has ended the migration when the save returns (20 in a row)', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    await machine.start();
    for (let i = 0; i < 20; i++) {
      const save = await machine.saveStateWhileRunning(join(dir, `precopy-${i}.vmrs`));
      if ('refused' in save) throw new Error(`QEMU refused to save: ${save.refused}`);
      // No question to QEMU in between: `cont` right away, as a Standard checkpoint does.
      await machine.resume();
      await save.written;
    }
    expect(await machine.status()).toBe('running');
  });

  it('refuses to save the state of a running machine', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch(config);
    await machine.start();
    await expect(machine.saveState(join(dir, 'x.vmrs'))).rejects.toThrow(/must be paused/);
  });

  it('fails to restore from a file that holds no saved state', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const bogus = join(dir, 'bogus.vmrs');
    await import('node:fs/promises').then((fs) => fs.writeFile(bogus, 'not a state'));
    await expect(QemuMachine.launch(config, { restoreFrom: bogus })).rejects.toThrow();
  });

  it('writes through the NBD disk into the served file, and into the new file once the export is switched while paused', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const first = memoryBlockExport(8 * MiB);
    const second = memoryBlockExport(8 * MiB);
    const disk = new SwitchableDisk(first);
    const server = await startNbdServer({
      socketPath: join(dir, 'disk.sock'),
      exports: (name) => (name === 'disk' ? disk : undefined),
    });
    cleanups.push(() => server.close());
    const machine = await launch({
      ...config,
      disk: { socketPath: server.socketPath, exportName: 'disk' },
    });
    await machine.start();
    const io = async (command: string): Promise<void> => {
      const output = await machine.qmp.execute<string>('human-monitor-command', {
        'command-line': `qemu-io -d /machine/peripheral/disk0-device/virtio-backend "${command}"`,
      });
      expect(output).toBe('');
    };
    await io('write -P 0xab 0 64k');
    await io('flush');
    expect(first.bytes.subarray(0, 64 * 1024).every((b) => b === 0xab)).toBe(true);

    await machine.pause();
    const previous = await disk.switchTo(second);
    expect(previous).toBe(first);
    await machine.resume();
    await io('write -P 0xcd 64k 64k');
    await io('flush');
    expect(second.bytes.subarray(64 * 1024, 128 * 1024).every((b) => b === 0xcd)).toBe(true);
    expect(first.bytes.subarray(64 * 1024, 128 * 1024).every((b) => b === 0)).toBe(true);
  });

  it('writes through an NBD disk served on a socket pair, its client end inherited by QEMU', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const served = memoryBlockExport(8 * MiB);
    const pair = serveNbdOnSocketPair({
      exports: (name) => (name === 'disk' ? served : undefined),
    });
    cleanups.push(() => pair.close());
    const launching = launch({
      ...config,
      disk: { descriptor: pair.clientDescriptor, exportName: 'disk' },
    });
    const machine = await launching.finally(() => pair.releaseClientDescriptor());
    await machine.start();
    const output = await machine.qmp.execute<string>('human-monitor-command', {
      'command-line':
        'qemu-io -d /machine/peripheral/disk0-device/virtio-backend "write -P 0x5a 1M 1M"',
    });
    expect(output).toBe('');
    expect(served.bytes.subarray(MiB, 2 * MiB).every((b) => b === 0x5a)).toBe(true);
    expect(pair.counts.writes).toBe(1);
  });

  it('hands a vhost-user disk its control socket: QEMU asks the back end for its features first', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    // The back end's end stays here; QEMU inherits the other as its descriptor 4.
    const [backEnd, frontEnd] = connectedSocketPair();
    const socket = new Socket({ fd: backEnd, readable: true, writable: true });
    cleanups.push(() => Promise.resolve(socket.destroy()));
    const firstBytes = new Promise<Buffer>((resolve) => {
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= 12) resolve(got);
      });
    });
    socket.on('error', () => undefined);
    // No back end answers, so QEMU never gets past the device's setup to its QMP monitor: the
    // launch cannot finish, and fails (QEMU killed) once the socket closes or it times out.
    const launching = QemuMachine.launch(
      { ...config, disk: { vhostUserDescriptor: frontEnd, queueSize: 128 } },
      { timeoutMs: 15_000 },
    );
    launching.catch(() => undefined);
    // QEMU holds its copy by the time it writes: ours can go. Should QEMU end first (refusing
    // an argument), the header is empty and the test fails at once.
    const ended = launching.then(
      () => Buffer.alloc(0),
      () => Buffer.alloc(0),
    );
    const header = await Promise.race([firstBytes, ended]).finally(() => closeSync(frontEnd));
    expect(header.length).toBeGreaterThanOrEqual(12);
    // The vhost-user protocol (QEMU docs/interop/vhost-user.rst): a 12-byte header of request,
    // flags and payload size, little-endian; the front end's first request is
    // VHOST_USER_GET_FEATURES (1), flags 0x1 (version 1), no payload.
    expect([header.readUInt32LE(0), header.readUInt32LE(4), header.readUInt32LE(8)]).toEqual([
      1, 1, 0,
    ]);
    socket.destroy();
    // QEMU gives up on the device once its end reads nothing more (its error names the device).
    await expect(launching).rejects.toThrow(/vhost-user-blk-pci/);
  });

  it('connects the guest agent port; with no agent in the guest, ping says so in time', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    const machine = await launch({ ...config, guestAgent: true });
    await machine.start();
    expect(machine.guestAgent).toBeDefined();
    await expect(machine.guestAgent?.ping(300)).resolves.toBe(false);
  });
});
