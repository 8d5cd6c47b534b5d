import { describe, expect, it } from 'vitest';
import type { FileStore } from '../storage/fileStore.js';
import { memoryFileStore } from '../storage/memoryFileStore.js';
import { createDifferencingDisk, createDynamicDisk } from './create.js';
import { VhdxFile } from './vhdxFile.js';

const TiB = 1024 ** 4;

/** A store that counts the bytes read through its handles. */
function countingStore(): { store: FileStore; bytesRead: () => number } {
  const inner = memoryFileStore();
  let read = 0;
  const store: FileStore = {
    ...inner,
    open: async (path, mode) => {
      const handle = await inner.open(path, mode);
      return {
        ...handle,
        read: async (buf, pos) => {
          const n = await handle.read(buf, pos);
          read += n;
          return n;
        },
      };
    },
  };
  return { store, bytesRead: () => read };
}

describe('opening a file for its metadata only', () => {
  it('creating a checkpoint child of a 64 TiB disk reads its headers and metadata, not its 2 MiB BAT', async () => {
    const { store, bytesRead } = countingStore();
    await createDynamicDisk(store, 'big.vhdx', { virtualSize: 64 * TiB });
    const before = bytesRead();
    const child = await createDifferencingDisk(store, 'big_child.avhdx', 'big.vhdx');
    expect(child.virtualSize).toBe(64 * TiB);
    // Header section (320 KiB) and metadata region (1 MiB) of the parent and of the new child.
    expect(bytesRead() - before).toBeLessThanOrEqual(2 * (320 + 1024) * 1024);
  });

  it('refuses to read data through such a handle, and to open one for writing', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 1024 ** 3 });
    const file = await VhdxFile.open(store, 'd.vhdx', false, { metadataOnly: true });
    try {
      expect(file.meta.virtualSize).toBe(1024 ** 3);
      await expect(file.payloadEntry(0)).rejects.toThrow(/metadata only/);
    } finally {
      await file.close();
    }
    await expect(VhdxFile.open(store, 'd.vhdx', true, { metadataOnly: true })).rejects.toThrow(
      /read-only/,
    );
  });
});
