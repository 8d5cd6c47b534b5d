// Commands in a running tiny-linux guest through its guest agent (qemu-ga's `guest-exec` and
// `guest-exec-status`, QEMU's qga/qapi-schema.json), and the guest's own clock.
import type { QemuMachine } from '@hvm/qemu';

interface ExecStatus {
  exited: boolean;
  exitcode?: number;
  signal?: number;
  'out-data'?: string;
  'err-data'?: string;
}

const decode = (data: string | undefined): string =>
  data === undefined ? '' : Buffer.from(data, 'base64').toString('utf8');

/**
 * Runs `script` with the guest's `/bin/sh -c` and resolves with its standard output; throws with
 * its standard error when it exits with another status than 0 or runs longer than `timeoutMs`.
 */
export async function guestShell(
  machine: QemuMachine,
  script: string,
  timeoutMs = 300_000,
): Promise<string> {
  const agent = machine.guestAgent;
  if (agent === undefined) throw new Error('the guest has no agent port');
  const { pid } = await agent.execute<{ pid: number }>('guest-exec', {
    path: '/bin/sh',
    arg: ['-c', script],
    'capture-output': true,
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await agent.execute<ExecStatus>('guest-exec-status', { pid });
    if (status.exited) {
      if (status.exitcode !== 0)
        throw new Error(
          `in the guest, \`${script}\` ended with ${status.exitcode ?? `signal ${status.signal ?? '?'}`}: ${decode(status['err-data'])}`,
        );
      return decode(status['out-data']);
    }
    if (Date.now() > deadline)
      throw new Error(`in the guest, \`${script}\` ran over ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The guest's seconds for `command`, read from its own `/proc/uptime` (hundredths of a second)
 * right before and after: what the guest sees, whatever the host adds to answer the agent.
 */
export async function guestSeconds(machine: QemuMachine, command: string): Promise<number> {
  const out = await guestShell(
    machine,
    `set -e; a=$(cut -d' ' -f1 /proc/uptime); ${command}; b=$(cut -d' ' -f1 /proc/uptime); echo "$a $b"`,
  );
  const [a, b] = out.trim().split(' ').map(Number);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b))
    throw new Error(`the guest's clock read ${JSON.stringify(out)}`);
  return b - a;
}

/** Waits until the guest's workload runs (`HVM-READY`) and its agent answers. */
export async function guestReady(machine: QemuMachine, timeoutMs: number): Promise<void> {
  // Read and then listen with no await between: the line cannot pass unseen.
  const printed = machine.console.text().split('\n');
  if (!printed.some((line) => line.startsWith('HVM-READY')))
    await machine.console.waitForLine(/^HVM-READY/, timeoutMs);
  const agent = machine.guestAgent;
  const deadline = Date.now() + timeoutMs;
  while (agent === undefined || !(await agent.ping(2_000))) {
    if (Date.now() > deadline) throw new Error('the guest agent did not answer in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
