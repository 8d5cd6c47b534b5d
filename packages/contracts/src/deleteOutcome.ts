/** What the delete rules need to know of a checkpoint. */
export interface CheckpointNode<Id extends string = string> {
  id: Id;
  name: string;
  parentId: Id | null;
  /** Bytes of the checkpoint's own files (differencing disks, configuration, saved state). */
  sizeOnDiskBytes: number;
  /** Its frozen differencing disks, relative to the host data folder. */
  hardDrives: readonly string[];
}

export interface CheckpointTreeShape<Id extends string = string> {
  checkpoints: readonly CheckpointNode<Id>[];
  now: { parentId: Id | null };
}

/** Where a checkpoint's differencing disks merge: into a child checkpoint, or the current state (Now). */
export type MergeTarget<Id extends string = string> =
  { kind: 'now' } | { kind: 'checkpoint'; checkpointId: Id; name: string };

export interface CheckpointFiles<Id extends string = string> {
  checkpointId: Id;
  disks: string[];
  bytes: number;
}

/**
 * What Delete Checkpoint (or Delete Checkpoint Subtree) will do on disk (behaviour spec §4.6 and
 * §4.9 step 4): which checkpoints go, whose disks merge into what, which are kept and which are
 * removed, and the bytes it frees.
 */
export interface CheckpointDeleteOutcome<Id extends string = string> {
  subtree: boolean;
  /** The checkpoint, and with Delete Subtree every checkpoint below it, parents first. */
  deletedCheckpointIds: Id[];
  /** What becomes of the named checkpoint's differencing disk. */
  disk: 'removed' | 'merged' | 'kept';
  /** Disks merged so the checkpoint below (or Now) keeps working; the merge runs in the background. */
  merges: (CheckpointFiles<Id> & { into: MergeTarget<Id> })[];
  /** Disks kept because several children depend on them (only the checkpoint entry goes). */
  kept: (CheckpointFiles<Id> & { dependents: number; nowDepends: boolean })[];
  /** Checkpoints whose files are removed outright. */
  removed: CheckpointFiles<Id>[];
  /** Bytes of every deleted checkpoint's files. */
  totalBytes: number;
  /** Bytes of the disks being merged: up to this much more is freed when the merges finish. */
  bytesMerged: number;
  /** Bytes freed by the files removed outright. */
  bytesFreed: number;
}

function filesOf<Id extends string>(node: CheckpointNode<Id>): CheckpointFiles<Id> {
  return { checkpointId: node.id, disks: [...node.hardDrives], bytes: node.sizeOnDiskBytes };
}

const sum = (list: readonly { bytes: number }[]): number =>
  list.reduce((n, item) => n + item.bytes, 0);

/** The checkpoint and every checkpoint below it, parents first (each visited once). */
function subtreeOf<Id extends string>(
  tree: CheckpointTreeShape<Id>,
  root: CheckpointNode<Id>,
): CheckpointNode<Id>[] {
  const out: CheckpointNode<Id>[] = [];
  const seen = new Set<Id>();
  const queue: CheckpointNode<Id>[] = [root];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    out.push(node);
    queue.push(...tree.checkpoints.filter((c) => c.parentId === node.id));
  }
  return out;
}

/** The checkpoints from `id` down to the one Now derives from, or [] when Now is not below `id`. */
function pathToNow<Id extends string>(tree: CheckpointTreeShape<Id>, id: Id): CheckpointNode<Id>[] {
  const path: CheckpointNode<Id>[] = [];
  const seen = new Set<Id>();
  let cursor = tree.now.parentId;
  while (cursor !== null && !seen.has(cursor)) {
    seen.add(cursor);
    const at = cursor;
    const node = tree.checkpoints.find((c) => c.id === at);
    if (node === undefined) return [];
    path.unshift(node);
    if (node.id === id) return path;
    cursor = node.parentId;
  }
  return [];
}

/**
 * What deleting the checkpoint will do, from the tree the engine keeps (behaviour spec §4.9 step
 * 4): no dependents, its disks are removed; one (a child checkpoint or Now), they merge into it;
 * several, they are kept. Delete Subtree removes the checkpoints below too, except that the disks
 * Now depends on merge into Now (Now is never deleted). Null when the checkpoint is not in the tree.
 */
export function deleteCheckpointOutcome<Id extends string>(
  tree: CheckpointTreeShape<Id>,
  id: Id,
  subtree: boolean,
): CheckpointDeleteOutcome<Id> | null {
  const checkpoint = tree.checkpoints.find((c) => c.id === id);
  if (checkpoint === undefined) return null;
  const base = { subtree, totalBytes: checkpoint.sizeOnDiskBytes };

  if (subtree) {
    const all = subtreeOf(tree, checkpoint);
    const onNowPath = new Set(pathToNow(tree, id).map((c) => c.id));
    const merges = all
      .filter((c) => onNowPath.has(c.id))
      .map((c) => ({ ...filesOf(c), into: { kind: 'now' } as const }));
    const removed = all.filter((c) => !onNowPath.has(c.id)).map((c) => filesOf(c));
    return {
      ...base,
      deletedCheckpointIds: all.map((c) => c.id),
      disk: onNowPath.has(id) ? 'merged' : 'removed',
      merges,
      kept: [],
      removed,
      totalBytes: sum(all.map((c) => filesOf(c))),
      bytesMerged: sum(merges),
      bytesFreed: sum(removed),
    };
  }

  const children = tree.checkpoints.filter((c) => c.parentId === id);
  const nowDepends = tree.now.parentId === id;
  const dependents = children.length + (nowDepends ? 1 : 0);
  const files = filesOf(checkpoint);
  const single = { ...base, deletedCheckpointIds: [id] };
  if (dependents === 0) {
    const removed = [files];
    return {
      ...single,
      disk: 'removed',
      merges: [],
      kept: [],
      removed,
      bytesMerged: 0,
      bytesFreed: files.bytes,
    };
  }
  if (dependents === 1) {
    const child = children[0];
    const into: MergeTarget<Id> =
      nowDepends || child === undefined
        ? { kind: 'now' }
        : { kind: 'checkpoint', checkpointId: child.id, name: child.name };
    const merges = [{ ...files, into }];
    return {
      ...single,
      disk: 'merged',
      merges,
      kept: [],
      removed: [],
      bytesMerged: files.bytes,
      bytesFreed: 0,
    };
  }
  const kept = [{ ...files, dependents, nowDepends }];
  return { ...single, disk: 'kept', merges: [], kept, removed: [], bytesMerged: 0, bytesFreed: 0 };
}

/** The two outcomes the checkpoint menu offers: Delete Checkpoint and Delete Checkpoint Subtree. */
export interface CheckpointDeleteOutcomes<Id extends string = string> {
  delete: CheckpointDeleteOutcome<Id>;
  deleteSubtree: CheckpointDeleteOutcome<Id>;
}

/** Both delete outcomes of every checkpoint of the tree, keyed by checkpoint id. */
export function deleteOutcomesOf<Id extends string>(
  tree: CheckpointTreeShape<Id>,
): Map<Id, CheckpointDeleteOutcomes<Id>> {
  const out = new Map<Id, CheckpointDeleteOutcomes<Id>>();
  for (const c of tree.checkpoints) {
    const one = deleteCheckpointOutcome(tree, c.id, false);
    const all = deleteCheckpointOutcome(tree, c.id, true);
    if (one !== null && all !== null) out.set(c.id, { delete: one, deleteSubtree: all });
  }
  return out;
}

/** The field the server adds to a checkpoint body: what its two deletes will do. */
export interface CheckpointRules<Id extends string = string> {
  deleteOutcome: CheckpointDeleteOutcomes<Id>;
}
