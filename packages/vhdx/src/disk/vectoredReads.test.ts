import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  memoryFileStore,
  nodeFileStore,
  openDisk,
  type FileStore,
  type VirtualDisk,
} from '../index.js';
import { countingStore } from '../test-support/countingStore.js';
import { afterThisTest } from '../test-support/integrationFixtures.js';
import { makeTempDir } from '../test-support/externalTools.js';
import { firstDifference, MiB, pattern } from '../test-support/patterns.js';

/** A real folder's store, removed after the test. */
async function folderStore(): Promise<FileStore> {
  const { dir, cleanup } = await makeTempDir();
  afterThisTest(cleanup);
  return nodeFileStore(dir);
}

/**
 * base.vhdx ← mid.avhdx ← now.avhdx, 8 MiB of 1 MiB blocks: base holds blocks 0–3 whole; mid
 * holds sectors here and there of blocks 1 and 2 (partially present: sector bitmaps) and block 5
 * whole; now holds a range across the boundary of blocks 2 and 3 and block 6 whole; block 4 and
 * 7 are held by no one (zeros).
 */
async function threeDeepChain(store: FileStore): Promise<void> {
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
  let disk = await openDisk(store, 'base.vhdx', { writable: true });
  await disk.write(pattern(4 * MiB, 1), 0);
  await disk.close();
  await createDifferencingDisk(store, 'mid.avhdx', 'base.vhdx');
  disk = await openDisk(store, 'mid.avhdx', { writable: true });
  for (const [offset, length, seed] of [
    [MiB + 4096, 8192, 2],
    [MiB + 64 * 1024 + 512, 1536, 3],
    [2 * MiB + 100 * 1024, 300 * 1024, 4],
    [5 * MiB, MiB, 5],
  ] as const)
    await disk.write(pattern(length, seed), offset);
  await disk.close();
  await createDifferencingDisk(store, 'now.avhdx', 'mid.avhdx');
  disk = await openDisk(store, 'now.avhdx', { writable: true });
  await disk.write(pattern(MiB, 6), 3 * MiB - MiB / 2);
  await disk.write(pattern(MiB, 7), 6 * MiB);
  await disk.close();
}

/** `length` bytes cut into pieces of the given sizes, over and over (the last one shorter). */
function segmentsOf(length: number, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < length; i += 1) {
    const size = Math.min(sizes[i % sizes.length] ?? 4096, length - at);
    // Each in its own memory, as a guest's pages are; filled with garbage the read must replace.
    out.push(new Uint8Array(size).fill(0xee));
    at += size;
  }
  return out;
}

function joined(segments: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(segments));
}

/** Ranges over every kind of place: whole blocks, block boundaries, bitmaps, parents, zeros. */
const RANGES: readonly (readonly [number, number])[] = [
  [0, MiB],
  [MiB, MiB],
  [MiB + 2048, 96 * 1024],
  [MiB + 60 * 1024, 8 * 1024 + 1],
  [2 * MiB - 4096, 512 * 1024],
  [2 * MiB + 99 * 1024, 302 * 1024],
  [3 * MiB - MiB / 2 - 1000, MiB + 2000],
  [3 * MiB + 7, 3 * MiB],
  [4 * MiB, MiB],
  [7 * MiB + 12345, MiB - 12345],
  [0, 8 * MiB],
];

async function expectSameReads(disk: VirtualDisk, sizes: readonly number[]): Promise<void> {
  for (const [offset, length] of RANGES) {
    const plain = new Uint8Array(length);
    await disk.read(plain, offset);
    const segments = segmentsOf(length, sizes);
    await disk.readSegments(segments, offset);
    expect(firstDifference(joined(segments), plain), `${offset}+${length}`).toBe(-1);
  }
}

describe('vectored reads (readSegments)', () => {
  it('read what plain reads do across blocks, sector bitmaps, parents and unallocated ranges', async () => {
    const store = await folderStore();
    await threeDeepChain(store);
    for (const servedToGuest of [false, true]) {
      const disk = await openDisk(store, 'now.avhdx', { writable: true, servedToGuest });
      await expectSameReads(disk, [4096]);
      await expectSameReads(disk, [512, 4096, 1000, 65536, 3]);
      await disk.close();
    }
  });

  it('read the same through a store without vectored calls (piece by piece)', async () => {
    const store = memoryFileStore();
    await threeDeepChain(store);
    const disk = await openDisk(store, 'now.avhdx', { servedToGuest: true });
    await expectSameReads(disk, [4096, 512, 7]);
    await disk.close();
  });

  it('make one preadv per contiguous range of a file, and none for zeros', async () => {
    const { store, counts } = countingStore(await folderStore());
    await threeDeepChain(store);
    const disk = await openDisk(store, 'now.avhdx', { writable: true, servedToGuest: true });
    // The first reads learn the block tables and sector bitmaps (read as pages, once).
    await disk.read(new Uint8Array(8 * MiB), 0);
    /** Read calls per file (a range inside one piece is read with a plain pread: one call too). */
    const read = async (offset: number, length: number): Promise<Map<string, number>> => {
      counts.reset();
      await disk.readSegments(segmentsOf(length, [4096]), offset);
      // A guest's reads are made on the spot, none through the thread pool.
      expect(counts.total('read') + counts.total('readv')).toBe(0);
      const perFile = new Map<string, number>();
      for (const [path, row] of counts.calls) perFile.set(path, row.readvNow + row.readNow);
      return perFile;
    };
    // 256 pieces of one block of now.avhdx: one call.
    expect(await read(6 * MiB, MiB)).toEqual(new Map([['now.avhdx', 1]]));
    expect(counts.total('readvNow')).toBe(1);
    // Block 5, mid's alone, read through now.avhdx: one call in mid.
    expect(await read(5 * MiB, MiB)).toEqual(new Map([['mid.avhdx', 1]]));
    // Block 0, two files down.
    expect(await read(0, MiB)).toEqual(new Map([['base.vhdx', 1]]));
    // Blocks 6 and 7: now's block, then zeros (no call).
    expect(await read(6 * MiB + MiB / 2, MiB)).toEqual(new Map([['now.avhdx', 1]]));
    // Block 1 from its start: base 4 KiB, mid 8 KiB, base up to mid's 1536 bytes at 64.5 KiB
    // (sectors 129–131), mid, base to the block's end: five ranges, five calls.
    expect(await read(MiB, MiB)).toEqual(
      new Map([
        ['base.vhdx', 3],
        ['mid.avhdx', 2],
      ]),
    );
    // Blocks 2 and 3 over now's range: base, mid's 300 KiB, base, then now's range (half in
    // block 2, half in block 3: one call each, as the plain read makes), base for the rest.
    expect(await read(2 * MiB, 2 * MiB)).toEqual(
      new Map([
        ['base.vhdx', 3],
        ['mid.avhdx', 1],
        ['now.avhdx', 2],
      ]),
    );
    await disk.close();
  });

  it('read and write more pieces than one system call takes (IOV_MAX, 1024 on Linux)', async () => {
    const store = await folderStore();
    await threeDeepChain(store);
    const disk = await openDisk(store, 'now.avhdx', { writable: true, servedToGuest: true });
    const data = pattern(MiB, 9);
    // 6 MiB: a block now.avhdx holds whole, written in place in 2048 pieces of 512 bytes.
    const pieces = Array.from({ length: 2048 }, (_, i) => data.slice(i * 512, (i + 1) * 512));
    await disk.writeSegments(pieces, 6 * MiB);
    const back = segmentsOf(MiB, [512]);
    await disk.readSegments(back, 6 * MiB);
    expect(firstDifference(joined(back), data)).toBe(-1);
    const plain = new Uint8Array(MiB);
    await disk.read(plain, 6 * MiB);
    expect(firstDifference(plain, data)).toBe(-1);
    await disk.close();
  });

  it("a guest's read of 256 pieces through a 3-deep chain does not let the event loop turn", async () => {
    const store = await folderStore();
    await threeDeepChain(store);
    const disk = await openDisk(store, 'now.avhdx', { writable: true, servedToGuest: true });
    await disk.read(new Uint8Array(8 * MiB), 0);
    for (const offset of [0, MiB, 2 * MiB, 5 * MiB, 6 * MiB + 4096]) {
      let turned = false;
      const immediate = setImmediate(() => (turned = true));
      await disk.readSegments(segmentsOf(MiB, [4096]), offset);
      clearImmediate(immediate);
      expect(turned, `at ${offset}`).toBe(false);
    }
    await disk.close();
  });
});
