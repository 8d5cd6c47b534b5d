import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  inspectDisk,
  memoryFileStore,
  openDisk,
} from '../index.js';
import { firstDifference, MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';

async function writeBoth(
  disk: { write(b: Uint8Array, o: number): Promise<void> },
  ref: ReferenceDisk,
  len: number,
  off: number,
  seed: number,
): Promise<void> {
  const data = pattern(len, seed);
  await disk.write(data, off);
  ref.write(data, off);
}

describe('differencing disks', () => {
  it('reads a 3-deep chain sector by sector from the nearest disk that has it', async () => {
    const store = memoryFileStore();
    const size = 12 * MiB;
    const ref = new ReferenceDisk(size);
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: size, blockSize: 2 * MiB });
    let disk = await openDisk(store, 'base.vhdx', { writable: true });
    await writeBoth(disk, ref, 6 * MiB, 0, 1);
    await writeBoth(disk, ref, 1000, 11 * MiB + 5, 2);
    await disk.close();

    await createDifferencingDisk(store, 'Snapshots/c1.avhdx', 'base.vhdx');
    disk = await openDisk(store, 'Snapshots/c1.avhdx', { writable: true });
    await writeBoth(disk, ref, 700, 100, 3);
    await writeBoth(disk, ref, 2 * MiB, 2 * MiB, 4);
    await writeBoth(disk, ref, 5, 8 * MiB + 3, 5);
    await disk.close();

    await createDifferencingDisk(store, 'Snapshots/c2.avhdx', 'Snapshots/c1.avhdx');
    disk = await openDisk(store, 'Snapshots/c2.avhdx', { writable: true });
    await writeBoth(disk, ref, 513, 511, 6);
    await writeBoth(disk, ref, 3 * MiB, 3 * MiB - 7, 7);
    await writeBoth(disk, ref, 1, 11 * MiB + 6, 8);
    expect(firstDifference(await readAll(disk), ref.bytes)).toBe(-1);
    await disk.close();

    disk = await openDisk(store, 'Snapshots/c2.avhdx');
    expect(firstDifference(await readAll(disk), ref.bytes)).toBe(-1);
    expect(disk.parent?.info.path).toBe('Snapshots/c1.avhdx');
    expect(disk.parent?.parent?.info.path).toBe('base.vhdx');
    await disk.close();
  });

  it('copies the parent identity and links to its DataWriteGuid', async () => {
    const store = memoryFileStore();
    const base = await createDynamicDisk(store, 'Virtual Hard Disks/base.vhdx', {
      virtualSize: 16 * MiB,
      blockSize: 4 * MiB,
      physicalSectorSize: 512,
    });
    const child = await createDifferencingDisk(
      store,
      'Virtual Hard Disks/Snapshots/x.avhdx',
      'Virtual Hard Disks/base.vhdx',
    );
    expect(child).toMatchObject({
      type: 'Differencing',
      virtualSize: 16 * MiB,
      blockSize: 4 * MiB,
      physicalSectorSize: 512,
      virtualDiskId: base.virtualDiskId,
      parentPath: 'Virtual Hard Disks/base.vhdx',
      parentLinkage: `{${base.dataWriteGuid}}`,
    });
    const inspected = await inspectDisk(store, 'Virtual Hard Disks/Snapshots/x.avhdx');
    expect(inspected.chain.map((d) => d.path)).toEqual([
      'Virtual Hard Disks/Snapshots/x.avhdx',
      'Virtual Hard Disks/base.vhdx',
    ]);
  });

  it('never changes the parent when the child is written, and refuses a chain whose parent was modified', async () => {
    const store = memoryFileStore();
    const base = await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB });
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    const child = await openDisk(store, 'child.avhdx', { writable: true });
    await child.write(pattern(100, 1), 0);
    expect(child.parent?.info.dataWriteGuid).toBe(base.dataWriteGuid);
    await child.close();
    const parent = await openDisk(store, 'base.vhdx', { writable: true });
    await parent.write(pattern(10, 2), 0);
    await parent.close();
    await expect(openDisk(store, 'child.avhdx')).rejects.toMatchObject({
      code: 'PARENT_MISMATCH',
      structure: 'parent locator',
    });
  });

  it('reports a missing parent', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB });
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    await store.rename('base.vhdx', 'moved.vhdx');
    await expect(openDisk(store, 'child.avhdx')).rejects.toMatchObject({ code: 'PARENT_MISSING' });
  });

  it('detects a parent chain that loops', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB });
    await createDifferencingDisk(store, 'a.avhdx', 'base.vhdx');
    await createDifferencingDisk(store, 'b.avhdx', 'a.avhdx');
    // Make a's parent b: replace base with a copy of b, so a -> base(=b) -> a.
    await store.unlink('base.vhdx');
    const bBytes = await store.readFile('b.avhdx');
    await store.writeFileAtomic('base.vhdx', bBytes);
    await expect(openDisk(store, 'a.avhdx')).rejects.toMatchObject({
      code: expect.stringMatching(/CHAIN_CYCLE|PARENT_MISMATCH/) as unknown,
    });
  });
});
