import type { Checkpoint, CheckpointId, CheckpointTree } from '@hvm/engine';
import { formatBytes } from '../../shared/format';

function childrenOf(tree: CheckpointTree, id: CheckpointId): Checkpoint[] {
  return tree.checkpoints.filter((c) => c.parentId === id);
}

/** The checkpoint and every checkpoint below it. */
function subtreeOf(tree: CheckpointTree, id: CheckpointId): Checkpoint[] {
  const out: Checkpoint[] = [];
  const walk = (cid: CheckpointId) => {
    const self = tree.checkpoints.find((c) => c.id === cid);
    if (self) out.push(self);
    for (const child of childrenOf(tree, cid)) walk(child.id);
  };
  walk(id);
  return out;
}

/** The checkpoints from `id` down to the one Now derives from, or [] when Now is not below `id`. */
function pathToNow(tree: CheckpointTree, id: CheckpointId): Checkpoint[] {
  const path: Checkpoint[] = [];
  let cursor = tree.now.parentId;
  while (cursor !== null) {
    const node = tree.checkpoints.find((c) => c.id === cursor);
    if (!node) return [];
    path.unshift(node);
    if (node.id === id) return path;
    cursor = node.parentId;
  }
  return [];
}

const sum = (list: readonly Checkpoint[]) => list.reduce((n, c) => n + c.sizeOnDiskBytes, 0);

/**
 * What Delete Checkpoint (or Delete Checkpoint Subtree) will do on disk, from the tree: whether the
 * differencing disk is merged into its child or Now, removed, or kept, and how much space it frees.
 */
export function describeDeleteOutcome(
  tree: CheckpointTree,
  id: CheckpointId,
  subtree: boolean,
): string | null {
  const checkpoint = tree.checkpoints.find((c) => c.id === id);
  if (!checkpoint) return null;
  const size = formatBytes(checkpoint.sizeOnDiskBytes);
  const children = childrenOf(tree, id);
  const nowIsChild = tree.now.parentId === id;

  if (subtree) {
    const all = subtreeOf(tree, id);
    const total = sum(all);
    const count = all.length === 1 ? '1 checkpoint' : `${all.length} checkpoints`;
    const path = pathToNow(tree, id);
    if (path.length === 0) {
      return `${count} will be deleted. Their differencing disks (${formatBytes(total)}) will be removed, freeing ${formatBytes(total)}.`;
    }
    const merged = sum(path);
    return `${count} will be deleted (${formatBytes(total)}). The differencing disks the current state (Now) depends on (${formatBytes(merged)}) will be merged into Now; the others are removed, freeing ${formatBytes(total - merged)}.`;
  }

  const dependents = children.length + (nowIsChild ? 1 : 0);
  if (dependents === 0) {
    return `The checkpoint's differencing disk (${size}) will be removed, freeing ${size}.`;
  }
  if (dependents === 1) {
    const into = nowIsChild
      ? 'the current state (Now)'
      : `the checkpoint "${children[0]?.name ?? ''}"`;
    return `The checkpoint's differencing disk (${size}) will be merged into ${into}. The merge runs in the background; up to ${size} is freed when it finishes.`;
  }
  return `The checkpoint's differencing disk (${size}) is kept, because its ${dependents} children${nowIsChild ? ' (including Now)' : ''} depend on it; only the checkpoint's configuration and saved state are removed.`;
}
