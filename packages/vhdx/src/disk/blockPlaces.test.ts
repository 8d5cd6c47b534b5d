// Reads answered on the spot from what is known of each block's place (blockLocation.ts) must
// see every later write: a block that was the parent's, a partly written block that fills up.
import { afterAll, describe, expect, it } from 'vitest';
import { createDifferencingDisk, createDynamicDisk, nodeFileStore, openDisk } from '../index.js';
import type { FileStore, VirtualDisk } from '../index.js';
import { makeTempDir } from '../test-support/externalTools.js';
import { MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';

const temps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of temps) await cleanup();
});

async function store(): Promise<FileStore> {
  const { dir, cleanup } = await makeTempDir();
  temps.push(cleanup);
  return nodeFileStore(dir);
}

/** Reads `length` bytes at `offset` on the spot; null when the disk could not answer so. */
function readNow(disk: VirtualDisk, offset: number, length: number): Uint8Array | null {
  const buffer = new Uint8Array(length);
  return disk.readNow(buffer, offset) ? buffer : null;
}

const expected = (ref: ReferenceDisk, at: number, length: number): Uint8Array =>
  ref.bytes.slice(at, at + length);

async function write(
  disk: VirtualDisk,
  ref: ReferenceDisk,
  length: number,
  at: number,
  seed: number,
) {
  const data = pattern(length, seed);
  await disk.write(data, at);
  ref.write(data, at);
}

describe('reads on the spot through a chain', () => {
  it('answer from the file that holds the block, and see the writes that follow', async () => {
    const s = await store();
    const size = 8 * MiB;
    const ref = new ReferenceDisk(size);
    await createDynamicDisk(s, 'base.vhdx', { virtualSize: size, blockSize: 2 * MiB });
    const base = await openDisk(s, 'base.vhdx', { writable: true });
    await write(base, ref, size, 0, 1);
    await base.close();
    await createDifferencingDisk(s, 'mid.avhdx', 'base.vhdx');
    await createDifferencingDisk(s, 'top.avhdx', 'mid.avhdx');
    const top = await openDisk(s, 'top.avhdx', { writable: true });
    try {
      // Block 0 is the base's, two files down: read on the spot once the metadata is cached.
      await top.read(new Uint8Array(4096), 0);
      expect(readNow(top, 8192, 4096)).toEqual(expected(ref, 8192, 4096));

      // The top takes two sectors of block 0 (partly present): those come from the top, the
      // others still from the base.
      await write(top, ref, 1024, 4096, 2);
      await top.read(new Uint8Array(512), 4096);
      expect(readNow(top, 4096, 1024)).toEqual(expected(ref, 4096, 1024));
      expect(readNow(top, 8192, 4096)).toBeNull();
      expect(Buffer.from(await readAll(top)).equals(ref.bytes)).toBe(true);

      // Block 1 was known to be the base's; the top then takes all of it.
      expect(readNow(top, 2 * MiB, 4096)).toEqual(expected(ref, 2 * MiB, 4096));
      await write(top, ref, 2 * MiB, 2 * MiB, 3);
      expect(readNow(top, 3 * MiB, 4096)).toEqual(expected(ref, 3 * MiB, 4096));

      // A block whose sectors fill up one write at a time: each read sees every write before it.
      for (let i = 0; i < 16; i++) {
        const at = 4 * MiB + i * 128 * 1024;
        expect(readNow(top, at, 4096) ?? expected(ref, at, 4096)).toEqual(expected(ref, at, 4096));
        await write(top, ref, 128 * 1024, at, 10 + i);
        await top.read(new Uint8Array(512), at);
        expect(readNow(top, at, 4096)).toEqual(expected(ref, at, 4096));
      }
      expect(Buffer.from(await readAll(top)).equals(ref.bytes)).toBe(true);
    } finally {
      await top.close();
    }
  });

  it('says no, having read nothing, where the place is not known or the range is outside', async () => {
    const s = await store();
    await createDynamicDisk(s, 'd.vhdx', { virtualSize: 4 * MiB, blockSize: 2 * MiB });
    const disk = await openDisk(s, 'd.vhdx', { writable: true });
    try {
      const buffer = new Uint8Array(4096).fill(7);
      // Never written: a dynamic disk's NOT_PRESENT block reads as zeros through `read`.
      expect(disk.readNow(buffer, 0)).toBe(false);
      expect(disk.readNow(buffer, 4 * MiB - 1024)).toBe(false);
      expect(disk.readNow(buffer, -1)).toBe(false);
      // Across two blocks: more than one place.
      expect(disk.readNow(buffer, 2 * MiB - 512)).toBe(false);
      expect(buffer.every((b) => b === 7)).toBe(true);
    } finally {
      await disk.close();
    }
  });
});
