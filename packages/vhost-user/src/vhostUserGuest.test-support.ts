/**
 * A real QEMU guest (tiny-linux, TCG) whose data disk is a vhost-user-blk device served by this
 * process, for the `*.integ.test.ts` files: QEMU spawned here with the served pair's end
 * inherited as descriptor 3, its QMP monitor and guest agent on Unix sockets in a temporary
 * folder, its serial console on standard output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureGuestImage } from '@hvm/guest-image';
import { QgaClient, QmpClient } from '@hvm/qemu';

/* eslint-disable-next-line no-restricted-properties -- a missing QEMU fails in CI, skips elsewhere */
const IN_CI = process.env.CI === 'true';

/** Skips the test when QEMU is missing (fails instead under CI=true). */
export function requireQemu(ctx: { skip(note?: string): void }): void {
  if (spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status === 0) return;
  const message = 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
  if (IN_CI) throw new Error(message);
  ctx.skip(message);
}

export interface TestGuest {
  qemu: ChildProcess;
  qmp: QmpClient;
  agent: QgaClient;
  console(): string;
  waitForConsole(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Runs `script` with the guest's /bin/sh; resolves with its output, throws on failure. */
  shell(script: string, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

export const GUEST_MEMORY_MIB = 256;

export interface GuestDisk {
  /** vhost-user-blk served ends, inherited as descriptors 3, 4, …: vda, vdb, … */
  vhostUserDescriptors?: number[];
  /** The vhost-user devices' `queue-size` (QEMU's default, 128, when absent). */
  queueSize?: number;
  /** Or a raw file QEMU opens itself (vda). */
  rawFile?: string;
}

async function connectWhenListening(socketPath: string, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(socketPath);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function launchGuest(disk: GuestDisk, incomingStateFile?: string): Promise<TestGuest> {
  const image = await ensureGuestImage('tiny-linux');
  const dir = await mkdtemp(path.join(tmpdir(), 'hvm-vhost-guest-'));
  const qmpPath = path.join(dir, 'qmp');
  const agentPath = path.join(dir, 'qga');
  const args = [
    '-machine',
    'q35,accel=tcg,memory-backend=mem',
    '-object',
    `memory-backend-memfd,id=mem,size=${GUEST_MEMORY_MIB}M,share=on`,
    '-cpu',
    'max',
    '-m',
    String(GUEST_MEMORY_MIB),
    '-smp',
    '1',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-S',
    '-chardev',
    `socket,id=qmp,path=${qmpPath},server=on,wait=off`,
    '-mon',
    'chardev=qmp,mode=control',
    '-chardev',
    'stdio,id=console,signal=off',
    '-serial',
    'chardev:console',
    '-kernel',
    image.kernel,
    '-initrd',
    image.initrd,
    '-append',
    `${image.cmdline} no_timer_check`,
    '-chardev',
    `socket,id=guest-agent,path=${agentPath},server=on,wait=off`,
    '-device',
    'virtio-serial-pci,id=virtio-serial0',
    '-device',
    'virtserialport,chardev=guest-agent,name=org.qemu.guest_agent.0',
  ];
  const served = disk.vhostUserDescriptors ?? [];
  served.forEach((_descriptor, index) =>
    args.push(
      '-chardev',
      `socket,id=disk${index}-vhost,fd=${3 + index}`,
      '-device',
      `vhost-user-blk-pci,chardev=disk${index}-vhost,id=disk${index}-device,num-queues=1` +
        (disk.queueSize === undefined ? '' : `,queue-size=${disk.queueSize}`),
    ),
  );
  if (disk.rawFile !== undefined)
    args.push(
      '-blockdev',
      JSON.stringify({
        driver: 'raw',
        'node-name': 'disk0',
        file: { driver: 'file', filename: disk.rawFile },
      }),
      '-device',
      'virtio-blk-pci,drive=disk0,id=disk0-device',
    );
  if (incomingStateFile !== undefined) args.push('-incoming', `exec:cat '${incomingStateFile}'`);
  const stdio: ('pipe' | number)[] = ['pipe', 'pipe', 'pipe'];
  stdio.push(...served);
  const qemu = spawn('qemu-system-x86_64', args, { stdio });
  let text = '';
  const listeners = new Set<() => void>();
  const onOutput = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  qemu.stdout?.on('data', onOutput);
  qemu.stderr?.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => qemu.once('exit', resolve));
  void exited.then(() => rm(dir, { recursive: true, force: true }));
  const qmp = await QmpClient.negotiate(await connectWhenListening(qmpPath, 30_000));
  const agent = new QgaClient(await connectWhenListening(agentPath, 30_000), {
    timeoutMs: 10_000,
  });
  const waitForConsole = (pattern: RegExp, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pattern.test(text)) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(
            `no ${String(pattern)} on the console in ${timeoutMs} ms:\n${text.slice(-3000)}`,
          ),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  const shell = async (script: string, timeoutMs = 60_000): Promise<string> => {
    const { pid } = await agent.execute<{ pid: number }>('guest-exec', {
      path: '/bin/sh',
      arg: ['-c', script],
      'capture-output': true,
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await agent.execute<{
        exited: boolean;
        exitcode?: number;
        'out-data'?: string;
        'err-data'?: string;
      }>('guest-exec-status', { pid });
      const decode = (data?: string): string =>
        data === undefined ? '' : Buffer.from(data, 'base64').toString('utf8');
      if (status.exited) {
        if (status.exitcode !== 0)
          throw new Error(
            `\`${script}\` ended with ${status.exitcode}: ${decode(status['err-data'])}`,
          );
        return decode(status['out-data']);
      }
      if (Date.now() > deadline) throw new Error(`\`${script}\` ran over ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    qemu,
    qmp,
    agent,
    console: () => text,
    waitForConsole,
    shell,
    exited,
    kill: async () => {
      if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until the guest agent answers. */
export async function agentReady(guest: TestGuest, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await guest.agent.ping(2_000))) {
    if (Date.now() > deadline) throw new Error('the guest agent did not answer in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
