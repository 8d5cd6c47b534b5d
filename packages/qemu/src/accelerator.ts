/**
 * Chooses KVM or TCG. `/dev/kvm` existing is not enough: some hosts have a KVM module that starts
 * a machine but cannot run a standard kernel (nested virtualization without the features a Linux
 * guest needs). So KVM is tried on a tiny probe, the guest's kernel booted without a root file
 * system, and chosen only when the kernel's first line reaches the serial console in time. The
 * choice is made once per process and said once in the log.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Accelerator } from './machineArgs.js';

export interface AcceleratorChoice {
  accelerator: Accelerator;
  reason: string;
}

export interface DetectOptions {
  /** The kernel to probe KVM with; without one, TCG is chosen. */
  probeKernel?: string;
  qemuBinary?: string;
  /** How long the probe kernel has to print its first line under KVM (default 15 s). */
  probeTimeoutMs?: number;
  /** `/dev/kvm` (tests point elsewhere). */
  kvmDevice?: string;
  /** Where the choice is said (default: console.info). */
  log?: (message: string) => void;
}

/** Runs the probe kernel under KVM; resolves whether it printed its banner in time. */
function kvmRunsKernel(qemuBinary: string, kernel: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(
      qemuBinary,
      [
        '-machine',
        'q35,accel=kvm',
        '-cpu',
        'host',
        '-m',
        '128',
        '-nodefaults',
        '-no-user-config',
        '-display',
        'none',
        '-no-reboot',
        '-kernel',
        kernel,
        '-append',
        'console=ttyS0 panic=-1',
        '-serial',
        'stdio',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let output = '';
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('latin1')).slice(-4096);
      if (output.includes('Linux version')) finish(true);
    });
    child.once('error', () => finish(false));
    child.once('exit', () => finish(false));
  });
}

export async function chooseAccelerator(options: DetectOptions = {}): Promise<AcceleratorChoice> {
  const device = options.kvmDevice ?? '/dev/kvm';
  try {
    await access(device, constants.R_OK | constants.W_OK);
  } catch {
    return { accelerator: 'tcg', reason: `${device} is not available` };
  }
  if (options.probeKernel === undefined)
    return { accelerator: 'tcg', reason: 'there is no kernel to probe KVM with' };
  const runs = await kvmRunsKernel(
    options.qemuBinary ?? 'qemu-system-x86_64',
    options.probeKernel,
    options.probeTimeoutMs ?? 15_000,
  );
  return runs
    ? { accelerator: 'kvm', reason: `KVM ran the probe kernel` }
    : { accelerator: 'tcg', reason: `${device} is present but KVM did not run the probe kernel` };
}

let chosen: Promise<AcceleratorChoice> | undefined;

/** `chooseAccelerator` once per process; the first call's options decide, and the log says it once. */
export function acceleratorForThisHost(options: DetectOptions = {}): Promise<AcceleratorChoice> {
  chosen ??= chooseAccelerator(options).then((choice) => {
    (options.log ?? console.info)(
      `QEMU runs virtual machines with ${choice.accelerator.toUpperCase()}: ${choice.reason}.`,
    );
    return choice;
  });
  return chosen;
}
