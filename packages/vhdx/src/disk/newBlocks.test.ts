// Blocks a write allocates in a differencing disk (MS-VHDX 2.5: payload blocks, their sector
// bitmaps, the BAT entries that name them, made durable through the log of 2.3): what a power
// loss leaves, and what reads see while a block is filled piece by piece.
import { describe, expect, it } from 'vitest';
import { createDifferencingDisk, createDynamicDisk, memoryFileStore, openDisk } from '../index.js';
import { PayloadState } from '../format/constants.js';
import { powerLossStore } from '../test-support/powerLossStore.js';
import { MiB, pattern, ReferenceDisk } from '../test-support/patterns.js';
import type { FileStore } from '../storage/fileStore.js';
import { VhdxFile } from './vhdxFile.js';

const SIZE = 8 * MiB;
const PIECE = 256 * 1024;

/** The end of the last block or sector bitmap the file's BAT names. */
async function lastNamedByte(store: FileStore, path: string): Promise<number> {
  const file = await VhdxFile.open(store, path, false);
  try {
    let end = 0;
    for (let block = 0; block < file.geometry.dataBlocks; block++) {
      const e = await file.payloadEntry(block);
      if (e.state === PayloadState.FullyPresent || e.state === PayloadState.PartiallyPresent)
        end = Math.max(end, e.fileOffsetMB * MiB + file.meta.blockSize);
    }
    const bitmap = await file.bitmapEntry(0);
    if (bitmap.fileOffsetMB > 0) end = Math.max(end, bitmap.fileOffsetMB * MiB + MiB);
    return end;
  } finally {
    await file.close();
  }
}

async function readWhole(store: FileStore, path: string): Promise<Uint8Array> {
  const disk = await openDisk(store, path);
  try {
    const out = new Uint8Array(SIZE);
    await disk.read(out, 0);
    return out;
  } finally {
    await disk.close();
  }
}

/** base.vhdx with data in its first two blocks, and child.avhdx of it, in 1 MiB blocks. */
async function chain(store: FileStore, reference: ReferenceDisk): Promise<void> {
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: SIZE, blockSize: MiB });
  const base = await openDisk(store, 'base.vhdx', { writable: true });
  const old = pattern(2 * MiB, 1);
  await base.write(old, 0);
  reference.write(old, 0);
  await base.close();
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
}

describe('blocks allocated by writes', () => {
  it('after a flush, a power loss leaves the file holding every block its BAT names, whole', async () => {
    const inner = memoryFileStore();
    const reference = new ReferenceDisk(SIZE);
    await chain(inner, reference);
    const store = powerLossStore(inner);
    const disk = await openDisk(store, 'child.avhdx', { writable: true });
    // Sequential pieces over three blocks, the last one filled in part only.
    for (let at = MiB / 2; at < 3 * MiB + PIECE; at += PIECE) {
      const data = pattern(PIECE, at);
      await disk.write(data, at);
      reference.write(data, at);
    }
    await disk.flush();
    // Writes after the flush, into blocks of their own: lost with the power.
    await disk.write(pattern(MiB, 99), 5 * MiB);
    await store.losePower();
    const size = (await inner.stat('child.avhdx')).size;
    expect(await lastNamedByte(inner, 'child.avhdx')).toBeLessThanOrEqual(size);
    expect(Buffer.compare(await readWhole(inner, 'child.avhdx'), reference.bytes)).toBe(0);
  });

  it('a block filled piece by piece reads each written piece from the child and the rest from the parent', async () => {
    const store = memoryFileStore();
    const reference = new ReferenceDisk(SIZE);
    await chain(store, reference);
    const disk = await openDisk(store, 'child.avhdx', { writable: true });
    const got = new Uint8Array(MiB);
    const page = new Uint8Array(4096);
    for (let at = MiB; at < 2 * MiB; at += PIECE) {
      const data = pattern(PIECE, at + 7);
      await disk.write(data, at);
      reference.write(data, at);
      await disk.read(got, MiB);
      expect(Buffer.compare(got, reference.bytes.subarray(MiB, 2 * MiB)), `after ${at}`).toBe(0);
      // Page by page too, on the spot where the chain knows the place from cached metadata.
      for (let p = MiB; p < 2 * MiB; p += 4096) {
        if (!disk.readNow(page, p)) await disk.read(page, p);
        expect(Buffer.compare(page, reference.bytes.subarray(p, p + 4096)), `page ${p}`).toBe(0);
      }
    }
    await disk.close();
    expect(Buffer.compare(await readWhole(store, 'child.avhdx'), reference.bytes)).toBe(0);
  });
});
