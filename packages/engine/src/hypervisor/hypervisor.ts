/**
 * Which hypervisor runs the VMs' guests. `simulated` (the default) is the engine's own guest
 * simulation; `qemu` runs each VM as a qemu-system-x86_64 process on the same `.vhdx`/`.avhdx`
 * chains (see `QemuGuest`).
 */
import type { ProductionFallbackReason } from '../types.js';

export type HypervisorKind = 'simulated' | 'qemu';

export const HYPERVISOR_KINDS: readonly HypervisorKind[] = ['simulated', 'qemu'];

/** Reads the `HYPERV_HYPERVISOR` setting: unset is `simulated`; anything unknown is refused. */
export function parseHypervisorKind(value: string | undefined): HypervisorKind {
  if (value === undefined || value === '') return 'simulated';
  const kind = HYPERVISOR_KINDS.find((k) => k === value.trim().toLowerCase());
  if (kind === undefined)
    throw new Error(
      `HYPERV_HYPERVISOR must be one of ${HYPERVISOR_KINDS.join(', ')} (got '${value}')`,
    );
  return kind;
}

/**
 * The hypervisor a host runs its VMs' guests with. For QEMU, the accelerator (KVM or TCG) is
 * chosen once when the host starts (`@hvm/qemu`'s `acceleratorForThisHost`).
 */
export type HostHypervisor = { kind: 'simulated' } | { kind: 'qemu'; accelerator: 'kvm' | 'tcg' };

/** The checkpoint a guest took: a Production request may have fallen back to Standard. */
export interface GuestCheckpointResult {
  kind: 'Standard' | 'Production';
  /** Why a Production checkpoint fell back to Standard (checkpoint/fallbackReasons.ts has the words); null when it did not. */
  fallbackReason: ProductionFallbackReason | null;
  /**
   * A Standard checkpoint's saved-state file, still being made durable when the checkpoint
   * returns: resolves once it is whole and durable, rejects when it could not be written. Null
   * when nothing is left to write.
   */
  memoryWritten?: Promise<void> | null;
}

/**
 * A running guest as the engine drives it, whichever hypervisor runs it. Disk paths are in the
 * VM's file store; the guest's writes land in `currentDisk`.
 */
export interface RunningGuest {
  readonly currentDisk: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Save: the memory and device state go to `savedStatePath`, then the guest stops. */
  save(savedStatePath: string): Promise<void>;
  /** Turn Off: stops at once, like pulling the plug. */
  turnOff(): Promise<void>;
  /** Shut Down: asks the guest's operating system to shut down and waits for it. */
  shutDown(timeoutMs: number): Promise<void>;
  /**
   * Takes a checkpoint: the disk so far stays in the current file, which becomes the checkpoint's;
   * the guest goes on in `newDiskPath`, a new child of it. A Standard checkpoint saves the memory
   * into `savedStatePath`, at the rate and with the progress `memory` asks; a running guest may go
   * on while it is written, and the file may become durable only after the call returns (the
   * result's `memoryWritten`). `beforeResume` runs once the disk is switched, while the guest is
   * still held (paused, or its file systems frozen): the host records Now's new disk there. When
   * it fails, the switch is undone and the checkpoint fails.
   */
  checkpoint(
    type: 'Standard' | 'Production' | 'ProductionOnly',
    newDiskPath: string,
    savedStatePath: string,
    beforeResume?: () => Promise<void>,
    memory?: { onProgress?: (share: number) => void; maxBytesPerSecond?: number },
  ): Promise<GuestCheckpointResult>;
  /** Heartbeat: whether the guest's integration services answer. */
  heartbeat(): Promise<'OK' | 'NoContact'>;
}
