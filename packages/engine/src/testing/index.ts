import type { QemuGuest } from '../hypervisor/qemuGuest.js';
import type { FileStore } from '@hvm/vhdx';
import { memoryFileStore } from '../disk/diskLibrary.js';

/** The real disk library (what `createHost` uses unless told otherwise), to wrap in tests. */
export { vhdxDiskLibrary } from '../disk/diskLibrary.js';
/** A VM's chain as a guest's block device (what the host serves over NBD to a QEMU guest). */
export { openGuestDiskExport } from '../disk/guestDiskExport.js';
import type { Host } from '../host/host.js';
import { createHost, type HostPorts } from '../createHost.js';
import { zeroTiming, type Clock, type IdSource, type Timing } from '../ports.js';
import type { CreateVmInput, VmDetail, VmId } from '../types.js';
import { contextOf } from '../host/hostRegistry.js';
import type { GuestRuntime } from '../guest/guestRuntime.js';
import { serialConsoleFeedOf } from '../hypervisor/serialConsoleFeed.js';

/** A clock that moves only when told: `advance(ms)` runs the timers that fall due. */
export class FakeClock implements Clock {
  private current: number;
  private timers: { at: number; fn: () => void; handle: number }[] = [];
  private nextHandle = 1;

  constructor(start: Date | string = '2024-03-05T14:07:09.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.push({ at: this.current + Math.max(0, ms), fn, handle });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  /** Moves time on and runs due timers, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushPromises();
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
    await flushPromises();
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** GUIDs in a predictable sequence: 00000000-0000-4000-8000-000000000001, ... */
export function sequentialIds(): IdSource {
  let n = 0;
  return {
    newGuid: () => {
      n += 1;
      return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    },
  };
}

export interface TestHost {
  host: Host;
  store: FileStore;
  clock: FakeClock;
  ids: IdSource;
  /** A new host on the same store (after `host.close()`), as after a restart of the service. */
  restart(options?: { close?: boolean }): Promise<Host>;
}

/** A host on a memory file store with a fake clock and zero timings (override any of them). */
export async function createTestHost(
  options: { store?: FileStore; clock?: FakeClock; timing?: Partial<Timing> } & Omit<
    Partial<HostPorts>,
    'store' | 'clock' | 'timing'
  > = {},
): Promise<TestHost> {
  const store = options.store ?? memoryFileStore();
  const clock = options.clock ?? new FakeClock();
  const ids = options.ids ?? sequentialIds();
  const make = (): Promise<Host> =>
    createHost({
      ...options,
      store,
      clock,
      ids,
      timing: { ...zeroTiming, ...options.timing },
      hostName: options.hostName ?? 'TEST-HOST',
      // A fixed machine, so that tests read the same Get-VMHost everywhere.
      logicalProcessorCount: options.logicalProcessorCount ?? 8,
      memoryCapacityBytes: options.memoryCapacityBytes ?? 17_179_869_184,
      // Failures' details stay out of the test output unless a test listens for them.
      logError: options.logError ?? (() => undefined),
    });
  const result: TestHost = {
    host: await make(),
    store,
    clock,
    ids,
    restart: async ({ close = true } = {}) => {
      if (close) await result.host.close();
      result.host = await make();
      return result.host;
    },
  };
  return result;
}

/** The running guest of a VM (to observe it in tests and benchmarks), or null when it has none. */
export function guestOf(host: Host, vmId: VmId): GuestRuntime | null {
  return contextOf(host).vms.get(vmId)?.guest ?? null;
}

/** A VM's guest under QEMU (its serial console, its QMP), or null when it has none. */
export function qemuGuestOf(host: Host, vmId: VmId): QemuGuest | null {
  return contextOf(host).vms.get(vmId)?.qemu?.guest ?? null;
}

/** Feeds a VM's serial console as if its guest under QEMU printed `bytes` (tests without QEMU). */
export function printOnSerialConsole(host: Host, vmId: VmId, bytes: Uint8Array): void {
  const vm = contextOf(host).vms.get(vmId);
  if (vm === undefined) throw new Error(`no VM ${vmId}`);
  serialConsoleFeedOf(vm).push(Buffer.from(bytes));
}

let vmCounter = 0;

/** Builder: a VM with 512 MB of memory and a 64 MB disk, optionally with an OS and a power state. */
export async function buildVm(
  host: Host,
  overrides: Partial<CreateVmInput> & { state?: 'Off' | 'Running' | 'Saved' | 'Paused' } = {},
): Promise<VmDetail> {
  vmCounter += 1;
  const { state = 'Off', ...input } = overrides;
  const vm = await host.createVm({
    name: `TEST-VM-${vmCounter}`,
    memoryStartupMB: 512,
    diskSizeBytes: 64 * 1024 * 1024,
    guestImage: 'ubuntu-22.04-postgres',
    ...input,
  });
  if (state !== 'Off') await host.changeVmState(vm.id, 'start');
  if (state === 'Saved') await host.changeVmState(vm.id, 'save');
  if (state === 'Paused') await host.changeVmState(vm.id, 'pause');
  return host.getVm(vm.id);
}
