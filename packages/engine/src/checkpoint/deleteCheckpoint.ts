import { invalidState } from '../errors.js';
import { emit, persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { checkpointConfigPath, checkpointSavedStatePath } from '../persistence/layout.js';
import { markPendingDisks, removeUncommittedFile } from '../persistence/pendingDisks.js';
import type { CheckpointId, Task } from '../types.js';
import { isTransitional } from '../vm/vmStates.js';
import { emitVmChanged } from '../vm/vmView.js';
import { findNode, refreshSizes, subtreeOf } from './checkpointTree.js';
import { removeOrphanDisks, startMerges } from './diskMerge.js';

/**
 * Delete Checkpoint (behaviour spec §4.9 step 4): X leaves the tree, its children (and Now) hang
 * under X's parent, its configuration and saved state go. Its frozen disk is deleted when nothing
 * derives from it, merged with its only child in a background "Merging disks" task, or kept when
 * several children derive from it. Delete Checkpoint Subtree does the same for X and everything
 * below it; Now is never deleted. The caller holds the VM.
 */
export async function deleteCheckpoints(
  ctx: HostContext,
  vm: VmRuntime,
  checkpointId: CheckpointId,
  subtree: boolean,
): Promise<{ task: Task | null }> {
  const target = findNode(vm, checkpointId);
  if (isTransitional(vm.state)) throw invalidState(vm.file.name, vm.state, 'delete checkpoint');
  const removed = subtree ? subtreeOf(vm, target.id) : new Set<CheckpointId>([target.id]);
  const folder = vm.file.snapshotFileLocation;

  // Commit: the tree without the removed checkpoints.
  for (const node of vm.file.checkpoints) {
    if (node.parentId !== null && removed.has(node.parentId) && !removed.has(node.id))
      node.parentId = target.parentId;
  }
  if (vm.file.parentCheckpointId !== null && removed.has(vm.file.parentCheckpointId)) {
    vm.file.parentCheckpointId = target.parentId;
  }
  vm.file.checkpoints = vm.file.checkpoints.filter((node) => !removed.has(node.id));
  // Marked as the host's to delete before the commit: a load after a crash finishes the job.
  const obsolete = [...removed].flatMap((id) => [
    checkpointConfigPath(folder, id),
    checkpointSavedStatePath(folder, id),
  ]);
  await markPendingDisks(ctx, obsolete);
  await persistVm(ctx, vm);

  // Then the obsolete files.
  for (const id of removed) vm.checkpointFiles.delete(id);
  for (const path of obsolete) await removeUncommittedFile(ctx, path);
  await removeOrphanDisks(ctx, vm);
  const task = startMerges(ctx, vm);
  await refreshSizes(ctx, vm);
  emitVmChanged(ctx, vm);
  emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
  return { task: task === null ? null : { ...task } };
}
