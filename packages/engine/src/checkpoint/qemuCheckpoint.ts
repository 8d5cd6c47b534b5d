/**
 * Checkpoints of a VM whose guest QEMU runs, has paused or has saved, taken with the rules every
 * checkpoint follows (checkpointKind.ts, behaviour spec §1.3-§1.5):
 * - Running or Paused: the VM's QemuGuest takes it. Standard: QEMU writes the running guest's
 *   memory into the checkpoint's `.vmrs` (QMP `migrate`, pre-copy) and stops it at the end; then the
 *   NBD export switches to Now's new `.avhdx` and the guest resumes (where QEMU cannot, the guest is
 *   paused while its memory is written).
 *   Production: the agent freezes the file systems, the export switches, they are thawed; no
 *   memory. Without an agent that answers (or freezes), the guest falls back to Standard with the
 *   reason, or fails ProductionOnly creating nothing. Recovery (backup's): as Production when the
 *   agent freezes, else the guest is paused while the disk switches (crash-consistent).
 * - Saved: QEMU is not running; the VM's saved state (QEMU's own migration stream) is copied into
 *   the checkpoint's `.vmrs`, as a simulated VM's saved memory is.
 * The saved-state files of a QEMU VM are QEMU's migration streams, not the simulated guest's format.
 *
 * Sources (behaviour spec): §1.3, Hyper-V's sequence for a running VM (S45: pause, switch to new
 * differencing disks, resume; the pause does not include writing the memory); §2, recovery checkpoints; §1.4, a Linux guest whose VSS
 * daemon is stopped gets a Standard checkpoint (S52); §1.5, the fallback and ProductionOnly table;
 * §1.6, a running guest's Standard checkpoint applies as Saved and a Production one as Off (S1).
 */
import { copySparseFile } from '../disk/diskLibrary.js';
import { unlinkQuietly, type HostContext, type VmRuntime } from '../host/hostContext.js';
import type { QemuVmGuest } from '../hypervisor/qemuVmTypes.js';
import { markPendingDisks } from '../persistence/pendingDisks.js';
import { fallback, withoutQuiescing, type CheckpointPlan } from './checkpointKind.js';

/** What the guest is asked for: the VM's setting when the plan quiesces, else Standard. */
function typeAskedOfGuest(
  vm: VmRuntime,
  plan: CheckpointPlan,
): 'Standard' | 'Production' | 'ProductionOnly' {
  if (!plan.quiesce) return 'Standard';
  return vm.file.checkpointType === 'ProductionOnly' ? 'ProductionOnly' : 'Production';
}

/** A checkpoint the guest took: its plan, and its memory if still being written. */
export interface QemuGuestCheckpoint {
  /** The plan it was really taken with (a fallback to Standard, with its reason). */
  plan: CheckpointPlan;
  /** Resolves once the saved-state file is whole and durable; null when nothing is left to write. */
  memoryWritten: Promise<void> | null;
}

/**
 * Takes the checkpoint through the running or paused guest: its first drive's disk freezes and
 * the guest goes on in `newDiskPath` (marked as the host's until Now names it). `recordNow` runs
 * while the guest is still held and records Now's new disks; a failure there undoes the switch.
 * A Standard checkpoint's memory may still be written once this returns (`memoryWritten`). A
 * recovery checkpoint saves no memory: quiesced through the agent when the plan says so and the
 * guest can, else crash-consistent with the reason, as the simulated guest's (checkpointKind.ts).
 */
export async function takeQemuGuestCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  qemu: QemuVmGuest,
  plan: CheckpointPlan,
  newDiskPath: string,
  savedStatePath: string,
  recordNow: () => Promise<void>,
  memory: { onProgress?: (share: number) => void; maxBytesPerSecond?: number } = {},
): Promise<QemuGuestCheckpoint> {
  // Marked before they exist: a host stopped before the commit takes them back at its next load.
  await markPendingDisks(ctx, [newDiskPath, savedStatePath]);
  if (plan.kind === 'Recovery') {
    const { quiesced, reason } = await qemu.guest.recoveryCheckpoint(
      plan.quiesce,
      newDiskPath,
      recordNow,
    );
    const taken = quiesced
      ? { ...plan, note: plan.note ?? `quiesced: ${AGENT_FROZE}` }
      : reason === null
        ? plan
        : withoutQuiescing(plan, reason);
    return { plan: taken, memoryWritten: null };
  }
  const result = await qemu.guest.checkpoint(
    typeAskedOfGuest(vm, plan),
    newDiskPath,
    savedStatePath,
    recordNow,
    memory,
  );
  const memoryWritten = result.memoryWritten ?? null;
  if (result.kind === 'Production') return { plan, memoryWritten };
  if (result.fallbackReason !== null)
    return { plan: fallback('running', result.fallbackReason), memoryWritten };
  return { plan: { ...plan, memory: 'running' }, memoryWritten };
}

/** What the note of a checkpoint quiesced through the guest agent says. */
export const AGENT_FROZE = 'the guest agent froze the file systems (guest-fsfreeze-freeze)';

/**
 * Copies a QEMU saved state (a migration stream) to `to`, replacing it at once: the copy is
 * written beside it, made durable, then renamed over it.
 */
export async function copyQemuSavedState(
  ctx: HostContext,
  from: string,
  to: string,
): Promise<void> {
  const temporary = `${to}.${ctx.ids.newGuid()}.tmp`;
  try {
    await copySparseFile(ctx.store, from, temporary);
    await ctx.store.rename(temporary, to);
  } catch (error) {
    await unlinkQuietly(ctx, temporary);
    throw error;
  }
}
