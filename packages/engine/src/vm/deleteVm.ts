import { invalidState } from '../errors.js';
import { nextMerge, removeOrphanDisks, startMerges } from '../checkpoint/diskMerge.js';
import {
  emit,
  persistVm,
  refuseWhileMerging,
  unlinkQuietly,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import { reportError } from '../storage/failureReport.js';
import {
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmConfigPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { VmFile } from '../persistence/records.js';
import { markPendingDisks, removeUncommittedFile } from '../persistence/pendingDisks.js';
import { OFF_OR_SAVED } from '@hvm/contracts';

/** Every file a VM owns: disks, checkpoint files, saved state (its JSON last). */
export function filesOfVm(file: VmFile): string[] {
  const files = new Set<string>(Object.keys(file.disks));
  for (const drive of file.drives) files.add(drive.path);
  for (const path of checkpointAndStateFiles(file)) files.add(path);
  return [...files];
}

/** The checkpoints' configurations and saved states, and the VM's own saved state. */
function checkpointAndStateFiles(file: VmFile): string[] {
  const files: string[] = [];
  for (const node of file.checkpoints) {
    files.push(checkpointConfigPath(file.snapshotFileLocation, node.id));
    files.push(checkpointSavedStatePath(file.snapshotFileLocation, node.id));
  }
  files.push(vmSavedStatePath(file.id));
  return files;
}

/**
 * The commit of a deletion, in the VM's record: marked "deleting", no checkpoints, Off without a
 * saved state. From here on the deletion only goes forward (also after a crash, on load).
 */
export function markDeleting(file: VmFile): void {
  file.lifecycle = 'deleting';
  file.checkpoints = [];
  file.parentCheckpointId = null;
  file.state = 'Off';
  file.savedState = null;
  file.runningSince = null;
}

/**
 * Delete (Remove-VM): the VM must be Off or Saved. As in Hyper-V, the VM's configuration, its
 * checkpoints (their configurations and saved states) and its saved state are deleted, but no
 * virtual hard disk: Remove-VM "deletes the virtual machine's configuration file, but does not
 * delete any virtual hard drives" (Microsoft's Remove-VM reference; behaviour spec R26). The
 * differencing disks on the path of Now merge into the `.vhdx`, which keeps the VM's current
 * content and stays in the data folder as a disk nobody uses; differencing disks that belonged
 * only to checkpoints on other branches are removed (their content belonged to checkpoints that
 * no longer exist).
 *
 * Crash safety: the record marked "deleting" without checkpoints is the commit. The files of the
 * checkpoints then go; the merges run as a background "Merging disks" task after the VM is gone
 * (Hyper-V Manager: checkpoints "are deleted and merged into the virtual hard disk files after
 * the virtual machine is deleted", remembered wording, see R26), each recorded in the record
 * first so it resumes; the record goes last. A load that finds a record marked "deleting"
 * finishes the job (see `finishDeletion`).
 */
export async function deleteVm(ctx: HostContext, vm: VmRuntime): Promise<void> {
  if (!OFF_OR_SAVED.includes(vm.state)) throw invalidState(vm.file.name, vm.state, 'delete');
  refuseWhileMerging(vm);
  const obsolete = checkpointAndStateFiles(vm.file);
  // Marked as the host's to delete before the commit: a load after a crash finishes the job.
  await markPendingDisks(ctx, obsolete);
  markDeleting(vm.file);
  await persistVm(ctx, vm);
  vm.state = 'Off';
  vm.checkpointFiles.clear();
  ctx.vms.delete(vm.file.id);
  ctx.deletingVms.set(vm.file.id, vm);
  emit(ctx, { type: 'vm-removed', vmId: vm.file.id });
  for (const path of obsolete) await removeUncommittedFile(ctx, path);
  await finishDeletion(ctx, vm);
}

/**
 * Finishes the deletion of a VM marked "deleting": removes the differencing disks no drive
 * needs, merges Now's chain into its `.vhdx` in the background, then removes the record. A merge
 * that fails or is cut short by the host closing leaves the record, and the next load goes on.
 */
export async function finishDeletion(ctx: HostContext, vm: VmRuntime): Promise<void> {
  try {
    await removeOrphanDisks(ctx, vm);
  } catch (error) {
    // The VM is deleted all the same; the next load goes on from its record.
    reportError(ctx, `Finishing the deletion of '${vm.file.name}'`, error);
    return;
  }
  const task = startMerges(ctx, vm);
  if (task === null) {
    await removeRecord(ctx, vm);
    return;
  }
  const merged = vm.mergeDone;
  const work = (async () => {
    await merged;
    if (vm.file.merge === null && nextMerge(vm) === null) await removeRecord(ctx, vm);
  })();
  ctx.inFlight.add(work);
  void work.finally(() => ctx.inFlight.delete(work));
}

async function removeRecord(ctx: HostContext, vm: VmRuntime): Promise<void> {
  await unlinkQuietly(ctx, vmConfigPath(vm.file.id));
  // The kept disks are free now: nothing of them stays open.
  await ctx.disks.forget?.(
    ctx.store,
    vm.file.drives.map((drive) => drive.path),
  );
  ctx.deletingVms.delete(vm.file.id);
}
