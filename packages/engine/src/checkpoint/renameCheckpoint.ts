import { emit, persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import type { Checkpoint, CheckpointId } from '../types.js';
import { validateName } from './checkpointName.js';
import { findNode, toCheckpoint } from './checkpointTree.js';

/** Rename: 1-100 characters, not only white space, no control or invisible character; duplicates are allowed (checkpoints are known by GUID). */
export async function renameCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  checkpointId: CheckpointId,
  newName: string,
): Promise<Checkpoint> {
  const node = findNode(vm, checkpointId);
  const name = validateName('name', newName, 'checkpoint', node.name);
  const previous = node.name;
  node.name = name;
  try {
    await persistVm(ctx, vm);
  } catch (error) {
    node.name = previous;
    throw error;
  }
  emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
  return toCheckpoint(vm, node);
}
