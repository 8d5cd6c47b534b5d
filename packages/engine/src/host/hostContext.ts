import type { FileStore } from '@hvm/vhdx';
import type { GuestRuntime } from '../guest/guestRuntime.js';
import { newVmGenerationId } from '../guest/vmGenerationId.js';
import { invalidState, operationInProgress, vmNotFound } from '../errors.js';
import { isTransitional } from '../vm/vmStates.js';
import { vmConfigPath } from '../persistence/layout.js';
import type { CheckpointFile, VmFile } from '../persistence/records.js';
import type { Clock, HostErrorLog, IdSource, Timing } from '../ports.js';
import type { DiskLibrary, LiveDiskWrites } from '../disk/diskLibrary.js';
import type { CheckpointId, HostEvent, Task, TaskId, VmId, VmState } from '../types.js';
import type { HostHypervisor } from '../hypervisor/hypervisor.js';
import type { EventDraft } from '../eventLog/eventCatalog.js';
import type { QemuGuestImageSource, QemuVmGuest } from '../hypervisor/qemuVmTypes.js';
import type { SerialConsoleFeed } from '../hypervisor/serialConsoleFeed.js';

/** A VM as the running host holds it: the persisted record plus what only lives in memory. */
export interface VmRuntime {
  file: VmFile;
  checkpointFiles: Map<CheckpointId, CheckpointFile>;
  /** The live power state, transitional states included. */
  state: VmState;
  /** The long operation that holds the VM (a state change, a checkpoint, an apply), if any. */
  busy: string | null;
  /** A progress text for the Status column, e.g. "Creating checkpoint (50%)". */
  progress: string | null;
  /** Cancels the running transition (Turn Off interrupts Starting, Stopping, ...). */
  cancelTransition: (() => void) | null;
  /** The merge task of the VM while its merge worker runs. */
  mergeTask: Task | null;
  mergeDone: Promise<void> | null;
  /** Stops the running merge at a safe point (host close); it resumes on the next load. */
  mergeAbort: AbortController | null;
  /** Bytes each file occupies, refreshed after each operation (listing calls are synchronous). */
  sizes: Map<string, number>;
  /** Serialises the writes of the VM's JSON. */
  writeChain: Promise<void>;
  /** The VM's JSON as last written or loaded: a write that fails puts it back in memory. */
  committed: string | null;
  /** The simulated guest while the VM runs or is paused (its memory lives here). */
  guest: GuestRuntime | null;
  /** The guest under QEMU while the VM runs or is paused (a QEMU host's gallery image). */
  qemu?: QemuVmGuest | null;
  /** While QEMU comes up for the VM (Start, Reset): settles once it is up or has failed. */
  qemuStarting?: Promise<void> | null;
  /** The serial console's viewers and recent output, across the guest's runs under QEMU. */
  serialConsole?: SerialConsoleFeed;
  /** While its disks merge: where the guest's writes go (a live merge, see `mergeAll`). */
  liveMerge?: LiveDiskWrites | null;
}

export interface HostContext {
  store: FileStore;
  clock: Clock;
  ids: IdSource;
  timing: Timing;
  disks: DiskLibrary;
  hostName: string;
  /** The machine's logical processors and memory (Get-VMHost); a VM gets at most that many processors. */
  logicalProcessorCount: number;
  memoryCapacityBytes: number;
  dataLocation: string;
  vms: Map<VmId, VmRuntime>;
  /**
   * Deleted VMs whose checkpoints still merge into their disks: gone for the user, their
   * configuration (marked "deleting") removed once the merges are done (see `deleteVm`).
   */
  deletingVms: Map<VmId, VmRuntime>;
  tasks: Map<TaskId, Task>;
  listeners: Set<(event: HostEvent) => void>;
  /** Operations in flight, awaited by `close()`. */
  inFlight: Set<Promise<unknown>>;
  closed: boolean;
  /** Aborted when the host starts closing: background waits (an automatic start delay) end. */
  closing: AbortController;
  /** The user the event log records when the caller names none. */
  defaultUser: string;
  /** Copy-rate limit of disk merges (bytes per second, 0: none); see `HostPorts.mergeBytesPerSecond`. */
  mergeBytesPerSecond: number;
  /** Write-rate limit of a checkpoint's memory file (bytes per second, 0: none). */
  memorySaveBytesPerSecond: number;
  /** Where the detail of a failure goes (absolute paths included); users see `userMessage`. */
  logError: HostErrorLog;
  /** What runs the VMs' guests: the simulation, or QEMU with its accelerator. */
  hypervisor: HostHypervisor;
  /** Writes an entry of the host's own (no caller asked for it) into the event log, as SYSTEM. */
  recordEvent?: (draft: EventDraft) => void;
  /** Where a QEMU host gets its gallery images' boot files (`HostPorts.qemuGuestImage`). */
  qemuGuestImage?: QemuGuestImageSource;
}

export const MAX_CHECKPOINTS_PER_VM = 50;
export const CONFIGURATION_VERSION = '10.0';

export function nowIso(ctx: HostContext): string {
  return ctx.clock.now().toISOString();
}

export function emit(ctx: HostContext, event: HostEvent): void {
  for (const listener of ctx.listeners) {
    try {
      listener(event);
    } catch {
      // A listener's failure is the listener's business; the host goes on.
    }
  }
}

export function getVmRuntime(ctx: HostContext, vmId: VmId): VmRuntime {
  const vm = ctx.vms.get(vmId);
  if (vm === undefined) throw vmNotFound(vmId);
  return vm;
}

/**
 * Writes the VM's JSON atomically; writes of one VM happen one after the other. When the write
 * fails (a full or read-only disk) the VM's record in memory goes back to what the disk holds, so
 * the failed operation leaves nothing behind that a later write would commit.
 */
export function persistVm(ctx: HostContext, vm: VmRuntime): Promise<void> {
  // Every VM has one from its first write (a new VM, an import, a file written before the field).
  vm.file.vmGenerationId ??= newVmGenerationId();
  const write = vm.writeChain.then(async () => {
    const text = `${JSON.stringify(vm.file, null, 2)}\n`;
    try {
      await ctx.store.writeFileAtomic(vmConfigPath(vm.file.id), new TextEncoder().encode(text));
      vm.committed = text;
    } catch (error) {
      if (vm.committed !== null) restoreRecord(vm, vm.committed);
      throw error;
    }
  });
  vm.writeChain = write.catch(() => undefined);
  return write;
}

function restoreRecord(vm: VmRuntime, committed: string): void {
  const record = JSON.parse(committed) as VmFile;
  const file = vm.file as unknown as Record<string, unknown>;
  for (const key of Object.keys(file)) if (!(key in record)) file[key] = undefined;
  Object.assign(vm.file, record);
}

/** Runs `fn` holding the VM; a VM already held answers OPERATION_IN_PROGRESS. */
export async function withVmOperation<T>(
  ctx: HostContext,
  vm: VmRuntime,
  operation: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (vm.busy !== null) {
    // A power transition (Starting, Saving, ...) refuses in Hyper-V's words; other work is "in progress".
    if (isTransitional(vm.state)) throw invalidState(vm.file.name, vm.state, operation);
    throw operationInProgress(vm.file.name, vm.busy);
  }
  vm.busy = operation;
  const run = (async () => {
    try {
      return await fn();
    } finally {
      vm.busy = null;
      vm.progress = null;
    }
  })();
  ctx.inFlight.add(run);
  try {
    return await run;
  } finally {
    ctx.inFlight.delete(run);
  }
}

/** Disk-changing operations wait for no merge: refused while the VM's disks are merging. */
export function refuseWhileMerging(vm: VmRuntime): void {
  if (vm.mergeTask !== null || vm.file.merge !== null)
    throw operationInProgress(vm.file.name, 'Merging disks');
}

export async function unlinkQuietly(ctx: HostContext, path: string): Promise<void> {
  try {
    if (await ctx.store.exists(path)) await ctx.store.unlink(path);
    if (path.endsWith('vhdx')) await ctx.disks.forget?.(ctx.store, [path]);
  } catch {
    // Leftovers are removed by the next load's clean-up.
  }
}
