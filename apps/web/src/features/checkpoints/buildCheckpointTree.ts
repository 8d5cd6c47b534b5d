import type { Checkpoint, CheckpointId, CheckpointTree } from '@hvm/engine';

export type TreeNode =
  | { type: 'checkpoint'; key: CheckpointId; checkpoint: Checkpoint; children: TreeNode[] }
  | { type: 'now'; key: 'now'; children: [] };

/**
 * Nests checkpoints by `parentId` (siblings keep the server's order: oldest first) and hangs "Now"
 * as the last child of `now.parentId`, or at the root level when that is null or unknown.
 */
export function buildCheckpointTree(tree: CheckpointTree): TreeNode[] {
  const nodes = new Map<CheckpointId, TreeNode & { type: 'checkpoint' }>();
  for (const checkpoint of tree.checkpoints) {
    nodes.set(checkpoint.id, { type: 'checkpoint', key: checkpoint.id, checkpoint, children: [] });
  }
  const roots: TreeNode[] = [];
  for (const checkpoint of tree.checkpoints) {
    const node = nodes.get(checkpoint.id);
    if (!node) continue;
    const parent = checkpoint.parentId === null ? undefined : nodes.get(checkpoint.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const now: TreeNode = { type: 'now', key: 'now', children: [] };
  const nowParent = tree.now.parentId === null ? undefined : nodes.get(tree.now.parentId);
  (nowParent ? nowParent.children : roots).push(now);
  return roots;
}

export interface VisibleItem {
  node: TreeNode;
  level: number;
  parentKey: string | null;
}

/** The items a reader sees, top to bottom, skipping children of collapsed checkpoints. */
export function visibleItems(
  roots: readonly TreeNode[],
  collapsed: ReadonlySet<string>,
): VisibleItem[] {
  const out: VisibleItem[] = [];
  const walk = (list: readonly TreeNode[], level: number, parentKey: string | null) => {
    for (const node of list) {
      out.push({ node, level, parentKey });
      if (node.children.length > 0 && !collapsed.has(node.key))
        walk(node.children, level + 1, node.key);
    }
  };
  walk(roots, 1, null);
  return out;
}

export const MAX_CHECKPOINT_NAME_LENGTH = 100;

/** Hyper-V's rule for Rename: not empty, at most 100 characters. Returns the problem, or null. */
export function validateCheckpointName(name: string): string | null {
  if (name.trim().length === 0) return 'The checkpoint name cannot be empty.';
  if ([...name].length > MAX_CHECKPOINT_NAME_LENGTH) {
    return `The checkpoint name cannot be longer than ${MAX_CHECKPOINT_NAME_LENGTH} characters.`;
  }
  return null;
}
