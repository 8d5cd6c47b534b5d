import { checkpointNotFound } from '../errors.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import {
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { CheckpointNode } from '../persistence/records.js';
import type { Checkpoint, CheckpointId, CheckpointTree } from '../types.js';

export function findNode(vm: VmRuntime, checkpointId: CheckpointId): CheckpointNode {
  const node = vm.file.checkpoints.find((c) => c.id === checkpointId);
  if (node === undefined) throw checkpointNotFound(vm.file.name, checkpointId);
  return node;
}

/**
 * Parents before children, siblings oldest first (the order nodes were created in). Each node's
 * children are found in one pass over the list (a VM's tree is listed for every VM of a
 * `Get-VM | Get-VMSnapshot`: looking every node's children up in the whole list cost n² steps).
 */
export function orderedNodes(vm: VmRuntime): CheckpointNode[] {
  const childrenOf = new Map<CheckpointId | null, CheckpointNode[]>();
  for (const node of vm.file.checkpoints) {
    const siblings = childrenOf.get(node.parentId);
    if (siblings === undefined) childrenOf.set(node.parentId, [node]);
    else siblings.push(node);
  }
  const result: CheckpointNode[] = [];
  const visit = (parentId: CheckpointId | null): void => {
    for (const node of childrenOf.get(parentId) ?? []) {
      result.push(node);
      visit(node.id);
    }
  };
  visit(null);
  return result;
}

/** X and every checkpoint below it. */
export function subtreeOf(vm: VmRuntime, checkpointId: CheckpointId): Set<CheckpointId> {
  const ids = new Set<CheckpointId>([checkpointId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of vm.file.checkpoints) {
      if (node.parentId !== null && ids.has(node.parentId) && !ids.has(node.id)) {
        ids.add(node.id);
        grew = true;
      }
    }
  }
  return ids;
}

/** The files a checkpoint owns: its own differencing disks (never a base .vhdx), configuration and saved state. */
function* ownFiles(vm: VmRuntime, node: CheckpointNode): Generator<string> {
  for (const disk of node.disks) if (disk.endsWith('.avhdx')) yield disk;
  const folder = vm.file.snapshotFileLocation;
  yield checkpointConfigPath(folder, node.id);
  yield checkpointSavedStatePath(folder, node.id);
}

/** `ownFiles` as a list. */
export function ownFilesOf(vm: VmRuntime, node: CheckpointNode): string[] {
  return [...ownFiles(vm, node)];
}

/** The bytes of a checkpoint's own files, added up without listing them. */
function ownFilesSize(vm: VmRuntime, node: CheckpointNode): number {
  let size = 0;
  for (const path of ownFiles(vm, node)) size += vm.sizes.get(path) ?? 0;
  return size;
}

export function toCheckpoint(vm: VmRuntime, node: CheckpointNode): Checkpoint {
  const file = vm.checkpointFiles.get(node.id);
  const size = ownFilesSize(vm, node);
  return {
    id: node.id,
    vmId: vm.file.id,
    name: node.name,
    parentId: node.parentId,
    createdAt: file?.createdAt ?? vm.file.createdAt,
    kind: file?.kind ?? 'Standard',
    snapshotType: file?.kind === 'Recovery' ? 'Recovery' : 'Standard',
    vmState: file?.vmState ?? 'Off',
    hasSavedState: file?.hasSavedState ?? false,
    isAutomaticCheckpoint: file?.isAutomaticCheckpoint ?? false,
    note: file?.note ?? null,
    fallbackReason: file?.fallbackReason ?? null,
    hardDrives: [...node.disks],
    sizeOnDiskBytes: size,
    consistency: file?.consistency ?? null,
    consistencyDetail: file?.consistencyDetail ?? null,
  };
}

export function checkpointTreeOf(vm: VmRuntime): CheckpointTree {
  return {
    vmId: vm.file.id,
    checkpoints: orderedNodes(vm).map((node) => toCheckpoint(vm, node)),
    now: { parentId: vm.file.parentCheckpointId },
  };
}

/** Refreshes the cached sizes of the VM's files (listings are synchronous). */
export async function refreshSizes(ctx: HostContext, vm: VmRuntime): Promise<void> {
  const paths = new Set<string>([...Object.keys(vm.file.disks), vmSavedStatePath(vm.file.id)]);
  for (const node of vm.file.checkpoints) for (const path of ownFilesOf(vm, node)) paths.add(path);
  const sizes = new Map<string, number>();
  for (const path of paths) {
    try {
      if (await ctx.store.exists(path))
        sizes.set(path, (await ctx.store.stat(path)).allocatedBytes);
    } catch {
      // a file that vanished counts as 0
    }
  }
  vm.sizes = sizes;
}

/** Refreshes the cached sizes of the named files only (the ones an operation wrote or removed). */
export async function refreshSizesOf(
  ctx: HostContext,
  vm: VmRuntime,
  paths: Iterable<string>,
): Promise<void> {
  await Promise.all(
    [...new Set(paths)].map(async (path) => {
      try {
        vm.sizes.set(path, (await ctx.store.stat(path)).allocatedBytes);
      } catch {
        // a file that is not there (or vanished) counts as 0
        vm.sizes.delete(path);
      }
    }),
  );
}
