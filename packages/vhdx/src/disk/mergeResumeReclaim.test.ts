import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  memoryFileStore,
  mergeDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import {
  faultyStore,
  restoreStore,
  SimulatedCrash,
  snapshotStore,
} from '../test-support/faultyStore.js';
import { firstDifference, MiB, pattern, readAll } from '../test-support/patterns.js';

const BLOCKS = 24;

/** base (1 MiB blocks, nothing written) <- child with BLOCKS whole blocks of data. */
async function buildChain(store: FileStore): Promise<void> {
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: 32 * MiB, blockSize: MiB });
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  const d = await openDisk(store, 'child.avhdx', { writable: true });
  await d.write(pattern(BLOCKS * MiB, 9), 0);
  await d.close();
}

/*
 * Issue 17: a merge killed between two durable progress records (every 1 GiB by default) had
 * already allocated blocks at the end of its parent that no BAT entry records; the resumed merge
 * allocated them again after them, leaving the parent up to 1 GiB larger than its data (measured:
 * a 2436 MiB file for 1412 MiB of blocks). The resume now gives that tail back first.
 */
describe('a resumed merge reclaims what the cut-off copy allocated', () => {
  it('the parent ends within one block of an uninterrupted merge’s size, with the same data', async () => {
    const initial = memoryFileStore();
    await buildChain(initial);
    const start = await snapshotStore(initial);

    const reference = await restoreStore(start);
    const child = await openDisk(reference, 'child.avhdx');
    const expected = await readAll(child);
    await child.close();
    await mergeDisk(reference, 'child.avhdx');
    const referenceSize = (await reference.stat('base.vhdx')).size;

    // The kill: 20 of the 24 blocks copied into the parent, no progress record written since.
    const inner = await restoreStore(start);
    const crashing = faultyStore(inner, { bytes: 20 * MiB });
    await expect(mergeDisk(crashing, 'child.avhdx')).rejects.toThrow(SimulatedCrash);
    // The parent grew by the blocks copied so far, none of them in its BAT yet.
    expect((await inner.stat('base.vhdx')).size).toBeGreaterThanOrEqual(20 * MiB);

    await mergeDisk(inner, 'child.avhdx');
    const size = (await inner.stat('base.vhdx')).size;
    expect(size).toBeLessThanOrEqual(referenceSize + MiB);
    const base = await openDisk(inner, 'base.vhdx');
    expect(firstDifference(await readAll(base), expected)).toBe(-1);
    await base.close();
  });
});
