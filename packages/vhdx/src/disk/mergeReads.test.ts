// What a merge reads of its two files before and while it moves the blocks. From a cold page
// cache each read waits for the disk on its own, so the merge reads what it needs in few, large
// reads: the metadata region's table and items (not the whole 1 MiB region), the whole BAT at
// once, and the child's sector bitmaps in one read per chunk rather than a 4 KiB page at a time.
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
import { VhdxFile } from './vhdxFile.js';

interface Read {
  path: string;
  position: number;
  length: number;
}

/** A store that notes every read of every file. */
function readNotingStore(inner: FileStore): FileStore & { reads: Read[] } {
  const reads: Read[] = [];
  return {
    ...inner,
    reads,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      return {
        ...h,
        read: (b, p) => {
          reads.push({ path, position: p, length: b.length });
          return h.read(b, p);
        },
        write: (b, p) => h.write(b, p),
        size: () => h.size(),
        truncate: (l) => h.truncate(l),
        sync: () => h.sync(),
        close: () => h.close(),
      };
    },
  };
}

/**
 * A differencing child whose first `blocks` blocks are written whole in 256 KiB writes, as a guest
 * writes them: each block PARTIALLY_PRESENT with every sector's bit set.
 */
async function childWithWholeBlocks(blocks: number): Promise<FileStore> {
  const store = memoryFileStore();
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: 64 * MiB, blockSize: MiB });
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  const disk = await openDisk(store, 'child.avhdx', { writable: true });
  const data = pattern(blocks * MiB, 7);
  for (let at = 0; at < data.length; at += MiB / 4)
    await disk.write(data.subarray(at, at + MiB / 4), at);
  await disk.close();
  return store;
}

async function regions(
  store: FileStore,
  path: string,
): Promise<{ metadata: [number, number]; bat: [number, number]; bitmaps: number[] }> {
  const file = await VhdxFile.open(store, path, false);
  try {
    const { metadata, bat } = file.layout;
    const bitmaps: number[] = [];
    for (let chunk = 0; chunk * file.geometry.chunkRatio < file.geometry.dataBlocks; chunk++) {
      const entry = await file.bitmapEntry(chunk);
      if (entry.fileOffsetMB !== 0) bitmaps.push(entry.fileOffsetMB * MiB);
    }
    return {
      metadata: [metadata.fileOffset, metadata.fileOffset + metadata.length],
      bat: [bat.fileOffset, bat.fileOffset + bat.length],
      bitmaps,
    };
  } finally {
    await file.close();
  }
}

const within = (r: Read, [from, to]: [number, number]): boolean =>
  r.position >= from && r.position < to;

describe('what a merge reads', () => {
  it('reads the child sector bitmap of 32 whole blocks in one read, not a page at a time', async () => {
    const store = await childWithWholeBlocks(32);
    const { bitmaps } = await regions(store, 'child.avhdx');
    expect(bitmaps).toHaveLength(1);
    const bitmap = bitmaps[0] ?? 0;
    const noting = readNotingStore(store);
    await mergeDisk(noting, 'child.avhdx');
    const bitmapReads = noting.reads.filter(
      (r) => r.path === 'child.avhdx' && within(r, [bitmap, bitmap + MiB]),
    );
    expect(bitmapReads).toHaveLength(1);
    const data = new Uint8Array(32 * MiB);
    const merged = await openDisk(store, 'base.vhdx');
    await merged.read(data, 0);
    await merged.close();
    expect(Buffer.from(data).equals(Buffer.from(pattern(32 * MiB, 7)))).toBe(true);
  });

  it('reads the metadata table and items of each file, not the whole metadata region', async () => {
    const store = await childWithWholeBlocks(4);
    const child = await regions(store, 'child.avhdx');
    const base = await regions(store, 'base.vhdx');
    const noting = readNotingStore(store);
    await mergeDisk(noting, 'child.avhdx');
    for (const [path, { metadata }] of [
      ['child.avhdx', child],
      ['base.vhdx', base],
    ] as const) {
      const reads = noting.reads.filter((r) => r.path === path && within(r, metadata));
      expect(reads.length).toBeGreaterThan(0);
      for (const r of reads) expect(r.length).toBeLessThanOrEqual(128 * 1024);
    }
  });

  it('reads the BAT of a file once per open, in one read, with the metadata', async () => {
    const store = await childWithWholeBlocks(4);
    const { bat } = await regions(store, 'child.avhdx');
    const noting = readNotingStore(store);
    const file = await VhdxFile.open(noting, 'child.avhdx', false);
    // Every BAT entry is then answered from the pages read at the open.
    for (let b = 0; b < file.geometry.dataBlocks; b++) await file.payloadEntry(b);
    await file.close();
    expect(noting.reads.filter((r) => within(r, bat))).toHaveLength(1);
  });
});
