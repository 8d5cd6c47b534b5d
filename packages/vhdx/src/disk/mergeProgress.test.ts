import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  memoryFileStore,
  mergeDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import { MiB, pattern } from '../test-support/patterns.js';

async function childWith(
  store: FileStore,
  size: number,
  blockSize: number,
  writes: readonly (readonly [number, number])[],
): Promise<void> {
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: size, blockSize });
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  const d = await openDisk(store, 'child.avhdx', { writable: true });
  for (const [offset, length] of writes) await d.write(pattern(length, offset + 1), offset);
  await d.close();
}

async function progressOf(store: FileStore): Promise<number[]> {
  const seen: number[] = [];
  await mergeDisk(store, 'child.avhdx', { onProgress: (p) => seen.push(p) });
  return seen;
}

/*
 * A merge's progress follows the bytes it has copied out of the bytes it has to copy (issue 16:
 * by blocks, a disk whose data sits in a few blocks stayed at one figure, then jumped). Copying
 * is 98 % of the work; re-pointing children 99 %; 100 % once the child is gone.
 */
describe('merge progress by bytes', () => {
  it('a child with data in its first and last block is half done after the first', async () => {
    const store = memoryFileStore();
    await childWith(store, 16 * MiB, MiB, [
      [0, MiB],
      [15 * MiB, MiB],
    ]);
    expect(await progressOf(store)).toEqual([0, 49, 98, 99, 100]);
  });

  it('counts only the sectors a partly written block holds', async () => {
    const store = memoryFileStore();
    // Block 0: a whole 4 MiB block; block 1: 1 MiB of its 4 MiB.
    await childWith(store, 8 * MiB, 4 * MiB, [
      [0, 4 * MiB],
      [4 * MiB, MiB],
    ]);
    expect(await progressOf(store)).toEqual([0, 78, 98, 99, 100]);
  });

  it('moves within a large block as its pieces are copied', async () => {
    const store = memoryFileStore();
    await childWith(store, 64 * MiB, 32 * MiB, [
      [0, 32 * MiB],
      [32 * MiB, 32 * MiB],
    ]);
    expect(await progressOf(store)).toEqual([0, 12, 24, 36, 49, 61, 73, 85, 98, 99, 100]);
  });
});
