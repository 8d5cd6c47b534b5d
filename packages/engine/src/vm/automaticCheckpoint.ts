import { automaticCheckpointName } from '../checkpoint/checkpointName.js';
import { createCheckpoint } from '../checkpoint/createCheckpoint.js';
import { deleteCheckpoints } from '../checkpoint/deleteCheckpoint.js';
import { isEngineError } from '../errors.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';

/**
 * Automatic checkpoints (behaviour spec §3): when a VM with none of its own checkpoints is started
 * and "Use automatic checkpoints" is on, a checkpoint is taken first; a clean Shut Down deletes it
 * again (Turn Off and crashes leave it). Skipped, never failing the Start, when a checkpoint cannot
 * be taken (checkpoints disabled, disks merging).
 */
export async function takeAutomaticCheckpoint(ctx: HostContext, vm: VmRuntime): Promise<void> {
  const { file } = vm;
  if (
    !file.automaticCheckpointsEnabled ||
    file.checkpoints.length > 0 ||
    file.checkpointType === 'Disabled'
  )
    return;
  try {
    await createCheckpoint(
      ctx,
      vm,
      { name: automaticCheckpointName(file.name, ctx.clock.now()) },
      { automatic: true },
    );
  } catch (error) {
    if (!isEngineError(error)) throw error;
  }
}

export async function removeAutomaticCheckpoint(ctx: HostContext, vm: VmRuntime): Promise<void> {
  const parentId = vm.file.parentCheckpointId;
  if (parentId === null || vm.checkpointFiles.get(parentId)?.isAutomaticCheckpoint !== true) return;
  if (vm.file.checkpoints.some((node) => node.parentId === parentId)) return;
  await deleteCheckpoints(ctx, vm, parentId, false);
}
