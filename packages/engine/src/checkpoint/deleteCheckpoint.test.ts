import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

/** Merges run on the disk library's mergeDisk, or on a slow copying merge until it exists. */
const disks = vhdxDiskLibrary;
const withMerge = it;

describe('Delete Checkpoint and Delete Checkpoint Subtree (behaviour spec §4.6, §4.9 step 4)', () => {
  it('deleting a leaf checkpoint on another branch removes its .avhdx, configuration and saved state', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host, { name: 'LEAF' });
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.applyCheckpoint(vm.id, a.id);
    const bDisk = b.hardDrives[0] ?? '';
    expect(bDisk.endsWith('.avhdx')).toBe(true);
    expect(await host.deleteCheckpoint(vm.id, b.id)).toEqual({ task: null });
    expect(await store.exists(bDisk)).toBe(false);
    expect(await store.exists(`Snapshots/${b.id}.json`)).toBe(false);
    expect(await store.exists(`Snapshots/${b.id}.vmrs`)).toBe(false);
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['A']);
  });

  it('a checkpoint with several children keeps its disk; its children move up to its parent', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host);
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.createCheckpoint(vm.id, { name: 'B1' });
    await host.applyCheckpoint(vm.id, b.id);
    await host.createCheckpoint(vm.id, { name: 'B2' });
    const bDisk = b.hardDrives[0] ?? '';
    expect(await host.deleteCheckpoint(vm.id, b.id)).toEqual({ task: null });
    expect(await store.exists(bDisk)).toBe(true);
    const tree = host.listCheckpoints(vm.id);
    expect(tree.checkpoints.map((c) => [c.name, c.parentId])).toEqual([
      ['A', null],
      ['B1', a.id],
      ['B2', a.id],
    ]);
    const drive = host.getVm(vm.id).hardDrives[0];
    expect(drive?.chain).toContain(bDisk);
  });

  it('Delete Checkpoint Subtree removes the checkpoint and its descendants; Now moves to the parent', async () => {
    const { host } = await createTestHost({ disks });
    const vm = await buildVm(host);
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.createCheckpoint(vm.id, { name: 'C' });
    await host.deleteCheckpointSubtree(vm.id, b.id);
    await host.whenIdle();
    expect(host.listCheckpoints(vm.id)).toMatchObject({
      checkpoints: [{ id: a.id, name: 'A' }],
      now: { parentId: a.id },
    });
    expect(host.getVm(vm.id)).toMatchObject({ parentCheckpointId: a.id, checkpointCount: 1 });
  });

  it('an unknown checkpoint is NOT_FOUND', async () => {
    const { host } = await createTestHost({ disks });
    const vm = await buildVm(host);
    await expect(host.deleteCheckpoint(vm.id, 'nope' as never)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  withMerge(
    "deleting the newest checkpoint merges Now's disk into it and removes the .avhdx",
    async () => {
      const { host, store } = await createTestHost({ disks });
      const vm = await buildVm(host, {
        name: 'MERGE',
        state: 'Running',
        diskSizeBytes: 64 * 1024 * 1024,
      });
      const a = await host.createCheckpoint(vm.id, { name: 'A' });
      const b = await host.createCheckpoint(vm.id, { name: 'B' });
      const nowDisk = host.getVm(vm.id).hardDrives[0]?.path ?? '';
      const bDisk = b.hardDrives[0] ?? '';
      const events: string[] = [];
      host.subscribe((e) => {
        if (e.type === 'task-changed') events.push(`${e.task.status} ${e.task.percentComplete}`);
      });
      const { task } = await host.deleteCheckpoint(vm.id, b.id);
      expect(task).toMatchObject({ name: 'Merging disks', status: 'Running' });
      await host.whenIdle();
      expect(events.at(-1)).toBe('Completed 100');
      expect(await store.exists(nowDisk)).toBe(false);
      const drive = host.getVm(vm.id).hardDrives[0];
      expect(drive?.path).toBe(bDisk);
      expect(drive?.chain).toEqual([bDisk, a.hardDrives[0]]);
      expect(host.getVm(vm.id)).toMatchObject({
        state: 'Running',
        status: 'Operating normally',
        parentCheckpointId: a.id,
      });
    },
  );

  withMerge('deleting the only checkpoint merges everything back into the .vhdx', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host, { name: 'ONLY', diskSizeBytes: 64 * 1024 * 1024 });
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    await host.deleteCheckpoint(vm.id, a.id);
    await host.whenIdle();
    expect(host.getVm(vm.id).hardDrives[0]).toMatchObject({
      path: 'Virtual Hard Disks/ONLY.vhdx',
      chain: ['Virtual Hard Disks/ONLY.vhdx'],
    });
    expect(await store.list('Virtual Hard Disks')).toEqual(['ONLY.vhdx']);
  });

  withMerge(
    'a checkpoint with one child checkpoint: the child’s disk is merged into it and the child uses it',
    async () => {
      const { host, store } = await createTestHost({ disks });
      const vm = await buildVm(host);
      const a = await host.createCheckpoint(vm.id, { name: 'A' });
      const b = await host.createCheckpoint(vm.id, { name: 'B' });
      const c = await host.createCheckpoint(vm.id, { name: 'C' });
      const bDisk = b.hardDrives[0] ?? '';
      const cDisk = c.hardDrives[0] ?? '';
      await host.applyCheckpoint(vm.id, a.id);
      await host.deleteCheckpoint(vm.id, b.id);
      await host.whenIdle();
      expect(host.getCheckpoint(vm.id, c.id)).toMatchObject({
        parentId: a.id,
        hardDrives: [bDisk],
      });
      expect(await store.exists(cDisk)).toBe(false);
    },
  );
});
