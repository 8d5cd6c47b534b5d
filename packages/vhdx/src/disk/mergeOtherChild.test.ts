import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  memoryFileStore,
  mergeDisk,
  openDisk,
  VhdxError,
} from '../index.js';
import { firstDifference, MiB, pattern } from '../test-support/patterns.js';
import { snapshotStore } from '../test-support/faultyStore.js';

/*
 * A merge rewrites its parent (new data, new DataWriteGuid). Any other child of that parent was
 * written against the parent as it was, so Hyper-V merges a checkpoint's disk only into a parent
 * with no other child: a checkpoint with several children keeps its disk (behaviour spec §4.9
 * step 4, "≥2 children → keep the disk files"; MS-VHDX §2.6.2.6: a parent changed under a child
 * breaks its parent_linkage). mergeDisk refuses it on its own, whoever calls it.
 */
describe('mergeDisk and a parent with another child', () => {
  it('refuses, naming the other child, and changes no file', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'a.avhdx', 'base.vhdx');
    await createDifferencingDisk(store, 'b.avhdx', 'base.vhdx');
    const a = await openDisk(store, 'a.avhdx', { writable: true });
    await a.write(pattern(MiB, 3), 0);
    await a.close();
    const before = await snapshotStore(store);
    const refused = await mergeDisk(store, 'a.avhdx').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VhdxError);
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((refused as Error).message).toMatch(/base\.vhdx has another child, b\.avhdx/);
    const after = await snapshotStore(store);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before)
      expect(firstDifference(after.get(k) ?? new Uint8Array(), v)).toBe(-1);
  });

  it('merges once the other child is gone, and ignores a child already cut off from the parent', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'a.avhdx', 'base.vhdx');
    await createDifferencingDisk(store, 'b.avhdx', 'base.vhdx');
    await store.unlink('b.avhdx');
    // A child of another base of the same name pattern in the folder is not the parent's child.
    await createDynamicDisk(store, 'other.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'c.avhdx', 'other.vhdx');
    await mergeDisk(store, 'a.avhdx');
    expect(await store.exists('a.avhdx')).toBe(false);
    expect(await store.exists('c.avhdx')).toBe(true);
  });

  it('counts the merged disk’s own children as its, not as the parent’s other children', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'a.avhdx', 'base.vhdx');
    await createDifferencingDisk(store, 'g.avhdx', 'a.avhdx');
    await mergeDisk(store, 'a.avhdx', { children: ['g.avhdx'] });
    const g = await openDisk(store, 'g.avhdx');
    expect(g.info.parentPath).toBe('base.vhdx');
    await g.close();
  });
});
