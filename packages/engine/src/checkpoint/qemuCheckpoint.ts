/**
 * Checkpoints of a VM whose guest QEMU runs, has paused or has saved, taken with the rules every
 * checkpoint follows (checkpointKind.ts, behaviour spec §1.3-§1.5):
 * - Running or Paused: the VM's QemuGuest takes it. Standard: the guest is paused, the NBD export
 *   switches to Now's new `.avhdx`, QMP `migrate` writes the memory and device state into the
 *   checkpoint's `.vmrs`, the guest resumes. Production: the agent freezes the file systems, the
 *   export switches, they are thawed; no memory. Without an agent that answers (or freezes), the
 *   guest falls back to Standard with the reason, or fails ProductionOnly creating nothing.
 * - Saved: QEMU is not running; the VM's saved state (QEMU's own migration stream) is copied into
 *   the checkpoint's `.vmrs`, as a simulated VM's saved memory is.
 * The saved-state files of a QEMU VM are QEMU's migration streams, not the simulated guest's format.
 *
 * Sources (behaviour spec): §1.3, Hyper-V's sequence for a running VM (S45: pause, switch to new
 * differencing disks, resume, memory written in the background; here the guest stays paused while
 * QEMU writes its memory, as `migrate` of a paused guest does); §1.4, a Linux guest whose VSS
 * daemon is stopped gets a Standard checkpoint (S52); §1.5, the fallback and ProductionOnly table;
 * §1.6, a running guest's Standard checkpoint applies as Saved and a Production one as Off (S1).
 */
import { copySparseFile } from '../disk/diskLibrary.js';
import { unlinkQuietly, type HostContext, type VmRuntime } from '../host/hostContext.js';
import type { QemuVmGuest } from '../hypervisor/qemuVmTypes.js';
import { markPendingDisks } from '../persistence/pendingDisks.js';
import { fallback, type CheckpointPlan } from './checkpointKind.js';

/** What the guest is asked for: the VM's setting when the plan quiesces, else Standard. */
function typeAskedOfGuest(
  vm: VmRuntime,
  plan: CheckpointPlan,
): 'Standard' | 'Production' | 'ProductionOnly' {
  if (!plan.quiesce) return 'Standard';
  return vm.file.checkpointType === 'ProductionOnly' ? 'ProductionOnly' : 'Production';
}

/**
 * Takes the checkpoint through the running or paused guest: its first drive's disk freezes and
 * the guest goes on in `newDiskPath` (marked as the host's until Now names it). `recordNow` runs
 * while the guest is still held and records Now's new disks; a failure there undoes the switch.
 * Returns the plan the checkpoint was really taken with (a fallback to Standard, with its reason).
 */
export async function takeQemuGuestCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  qemu: QemuVmGuest,
  plan: CheckpointPlan,
  newDiskPath: string,
  savedStatePath: string,
  recordNow: () => Promise<void>,
): Promise<CheckpointPlan> {
  // Marked before they exist: a host stopped before the commit takes them back at its next load.
  await markPendingDisks(ctx, [newDiskPath, savedStatePath]);
  const result = await qemu.guest.checkpoint(
    typeAskedOfGuest(vm, plan),
    newDiskPath,
    savedStatePath,
    recordNow,
  );
  if (result.kind === 'Production') return plan;
  if (result.fallbackReason !== null) return fallback('running', result.fallbackReason);
  return { ...plan, memory: 'running' };
}

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
