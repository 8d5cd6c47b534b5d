import { describe, expect, it } from 'vitest';
import {
  deleteCheckpointOutcome,
  deleteOutcomesOf,
  type CheckpointNode,
  type CheckpointTreeShape,
} from './deleteOutcome.js';

const node = (id: string, parentId: string | null, sizeOnDiskBytes: number): CheckpointNode => ({
  id,
  name: `Checkpoint ${id}`,
  parentId,
  sizeOnDiskBytes,
  hardDrives: [`Virtual Hard Disks/disk_${id}.avhdx`],
});

/**
 * a ─┬─ b ── c ── Now
 *    └─ d ─┬─ e
 *          └─ f
 */
const tree: CheckpointTreeShape = {
  checkpoints: [
    node('a', null, 100),
    node('b', 'a', 20),
    node('c', 'b', 3),
    node('d', 'a', 40),
    node('e', 'd', 5),
    node('f', 'd', 6),
  ],
  now: { parentId: 'c' },
};

describe('deleteCheckpointOutcome (Delete Checkpoint)', () => {
  it('removes the disks of a checkpoint nothing depends on', () => {
    const outcome = deleteCheckpointOutcome(tree, 'e', false);
    expect(outcome).toMatchObject({
      deletedCheckpointIds: ['e'],
      disk: 'removed',
      removed: [{ checkpointId: 'e', disks: ['Virtual Hard Disks/disk_e.avhdx'], bytes: 5 }],
      bytesFreed: 5,
      bytesMerged: 0,
    });
  });

  it('merges into the one child checkpoint', () => {
    const outcome = deleteCheckpointOutcome(tree, 'b', false);
    expect(outcome?.disk).toBe('merged');
    expect(outcome?.merges).toEqual([
      {
        checkpointId: 'b',
        disks: ['Virtual Hard Disks/disk_b.avhdx'],
        bytes: 20,
        into: { kind: 'checkpoint', checkpointId: 'c', name: 'Checkpoint c' },
      },
    ]);
    expect(outcome).toMatchObject({ bytesMerged: 20, bytesFreed: 0 });
  });

  it('merges into Now when Now is the only dependent', () => {
    expect(deleteCheckpointOutcome(tree, 'c', false)?.merges[0]?.into).toEqual({ kind: 'now' });
  });

  it('keeps the disk when several children depend on it, counting Now', () => {
    expect(deleteCheckpointOutcome(tree, 'd', false)).toMatchObject({
      disk: 'kept',
      kept: [{ checkpointId: 'd', dependents: 2, nowDepends: false }],
      bytesFreed: 0,
    });
    const branching: CheckpointTreeShape = { ...tree, now: { parentId: 'a' } };
    expect(deleteCheckpointOutcome(branching, 'a', false)?.kept[0]).toMatchObject({
      dependents: 3,
      nowDepends: true,
    });
  });

  it('answers null for a checkpoint that is not in the tree', () => {
    expect(deleteCheckpointOutcome(tree, 'zz', false)).toBeNull();
  });
});

describe('deleteCheckpointOutcome (Delete Checkpoint Subtree)', () => {
  it('removes a subtree Now is not below', () => {
    expect(deleteCheckpointOutcome(tree, 'd', true)).toMatchObject({
      deletedCheckpointIds: ['d', 'e', 'f'],
      disk: 'removed',
      merges: [],
      totalBytes: 51,
      bytesFreed: 51,
    });
  });

  it('merges the disks Now depends on into Now and removes the others', () => {
    const outcome = deleteCheckpointOutcome(tree, 'a', true);
    expect(outcome?.deletedCheckpointIds).toEqual(['a', 'b', 'd', 'c', 'e', 'f']);
    expect(outcome?.merges.map((m) => [m.checkpointId, m.into.kind])).toEqual([
      ['a', 'now'],
      ['b', 'now'],
      ['c', 'now'],
    ]);
    expect(outcome).toMatchObject({
      disk: 'merged',
      totalBytes: 174,
      bytesMerged: 123,
      bytesFreed: 51,
    });
  });

  it('stops at a parent cycle instead of looping', () => {
    const looped: CheckpointTreeShape = {
      checkpoints: [node('x', 'y', 1), node('y', 'x', 1)],
      now: { parentId: 'x' },
    };
    expect(deleteCheckpointOutcome(looped, 'x', true)?.deletedCheckpointIds).toEqual(['x', 'y']);
  });
});

describe('deleteOutcomesOf', () => {
  it('answers both deletes for every checkpoint of the tree', () => {
    const all = deleteOutcomesOf(tree);
    expect([...all.keys()]).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(all.get('b')?.delete.disk).toBe('merged');
    expect(all.get('b')?.deleteSubtree.disk).toBe('merged');
  });
});
