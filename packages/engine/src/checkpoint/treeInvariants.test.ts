import { inspectDisk, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { vhdxDiskLibrary, type DiskLibrary } from '../disk/diskLibrary.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { VmId } from '../types.js';

/** Every disk file is in a chain the tree names, every chain matches the files' headers. */
async function checkInvariants(host: Host, store: FileStore, vmId: VmId): Promise<void> {
  const vm = host.getVm(vmId);
  const tree = host.listCheckpoints(vmId);
  const named = new Set<string>();
  for (const drive of vm.hardDrives) {
    expect((await inspectDisk(store, drive.path)).chain.map((d) => d.path)).toEqual(drive.chain);
    drive.chain.forEach((p) => named.add(p));
  }
  const ids = new Set(tree.checkpoints.map((c) => c.id));
  for (const checkpoint of tree.checkpoints) {
    if (checkpoint.parentId !== null) expect(ids.has(checkpoint.parentId)).toBe(true);
    for (const disk of checkpoint.hardDrives) {
      (await inspectDisk(store, disk)).chain.forEach((d) => named.add(d.path));
    }
  }
  if (tree.now.parentId !== null) expect(ids.has(tree.now.parentId)).toBe(true);
  const files = (await store.list('Virtual Hard Disks')).map((n) => `Virtual Hard Disks/${n}`);
  expect(files.sort()).toEqual([...named].sort());
  // A configuration per checkpoint, and a saved state for those with memory.
  const withMemory = tree.checkpoints.filter((c) => c.hasSavedState).length;
  expect((await store.list('Snapshots')).length).toBe(tree.checkpoints.length + withMemory);
}

async function runRandomly(disks: DiskLibrary, allowInnerDeletes: boolean): Promise<void> {
  const test = await createTestHost({ disks });
  const vm = await buildVm(test.host, {
    name: 'RANDOM',
    state: 'Running',
    diskSizeBytes: 8 * 1024 * 1024,
  });
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let step = 0; step < 40; step += 1) {
    const host = test.host;
    const checkpoints = host.listCheckpoints(vm.id).checkpoints;
    const deletable = allowInnerDeletes
      ? checkpoints
      : checkpoints.filter((c) => !checkpoints.some((o) => o.parentId === c.id));
    const pick = checkpoints[random(Math.max(1, checkpoints.length))];
    const leaf = deletable[random(Math.max(1, deletable.length))];
    const op = random(10);
    if (op < 4 || pick === undefined) await host.createCheckpoint(vm.id, { name: `c${step}` });
    else if (op < 6) await host.applyCheckpoint(vm.id, pick.id);
    else if (op < 8 && leaf !== undefined) await host.deleteCheckpoint(vm.id, leaf.id);
    else if (op < 9) await host.deleteCheckpointSubtree(vm.id, pick.id);
    else await test.restart();
    await test.host.whenIdle();
    const failed = test.host.listTasks().filter((t) => t.status === 'Failed');
    expect(failed.map((t) => t.error?.message)).toEqual([]);
    await checkInvariants(test.host, test.store, vm.id);
  }
}

describe('checkpoint tree invariants', () => {
  it('random create, apply, delete (leaves), delete subtree and restart keep tree and files in step', async () => {
    await runRandomly(vhdxDiskLibrary, false);
  });

  it('the same with deletes anywhere in the tree', async () => {
    await runRandomly(vhdxDiskLibrary, true);
  });
});
