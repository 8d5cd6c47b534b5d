import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  DiskCache,
  memoryFileStore,
  mergeDisk,
  openDisk,
  type FileHandle,
  type FileStore,
} from '../index.js';

const MiB = 1024 * 1024;

/** Counts opens and reads of a store. */
function counting(inner: FileStore): {
  store: FileStore;
  counts: { opens: number; reads: number };
} {
  const counts = { opens: 0, reads: 0 };
  const wrap = (h: FileHandle): FileHandle => ({
    ...h,
    read: (buffer, position) => {
      counts.reads += 1;
      return h.read(buffer, position);
    },
  });
  const store: FileStore = {
    ...inner,
    open: async (path, mode) => {
      counts.opens += 1;
      return wrap(await inner.open(path, mode));
    },
  };
  return { store, counts };
}

async function chain(store: FileStore, depth: number): Promise<string[]> {
  const paths = ['d/base.vhdx'];
  await createDynamicDisk(store, 'd/base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
  for (let i = 1; i <= depth; i++) {
    const path = `d/c${i}.avhdx`;
    await createDifferencingDisk(store, path, paths[i - 1] ?? '');
    paths.push(path);
  }
  return paths;
}

async function writeAt(store: FileStore, path: string, byte: number, at: number): Promise<void> {
  const disk = await openDisk(store, path, { writable: true });
  try {
    await disk.write(new Uint8Array(4096).fill(byte), at);
    await disk.flush();
  } finally {
    await disk.close();
  }
}

async function readAt(
  store: FileStore,
  path: string,
  at: number,
  cache: DiskCache,
): Promise<number> {
  const disk = await openDisk(store, path, { cache });
  try {
    const buf = new Uint8Array(4096);
    await disk.read(buf, at);
    return buf[0] ?? -1;
  } finally {
    await disk.close();
  }
}

describe('DiskCache', () => {
  it('creating a differencing disk and reopening a deep chain cost the same at any depth', async () => {
    const { store, counts } = counting(memoryFileStore());
    const paths = await chain(store, 40);
    const cache = new DiskCache();
    const cost = async (path: string): Promise<number> => {
      const before = counts.opens + counts.reads;
      await readAt(store, path, 0, cache);
      return counts.opens + counts.reads - before;
    };
    await cost(paths[40] ?? '');
    const shallow = await cost(paths[2] ?? '');
    const deep = await cost(paths[40] ?? '');
    expect(deep).toBeLessThanOrEqual(shallow);
    const before = counts.opens + counts.reads;
    await createDifferencingDisk(store, 'd/c41.avhdx', paths[40] ?? '');
    const createDeep = counts.opens + counts.reads - before;
    const before2 = counts.opens + counts.reads;
    await createDifferencingDisk(store, 'd/other.avhdx', 'd/base.vhdx');
    expect(createDeep).toBeLessThanOrEqual(counts.opens + counts.reads - before2);
  });

  it('sees the data of a parent a merge changed', async () => {
    const store = memoryFileStore();
    const paths = await chain(store, 2);
    await writeAt(store, paths[2] ?? '', 7, 0);
    await createDifferencingDisk(store, 'd/c3.avhdx', paths[2] ?? '');
    const cache = new DiskCache();
    expect(await readAt(store, 'd/c3.avhdx', 0, cache)).toBe(7);
    // c2 merges into c1: c1 gets c2's data and a new DataWriteGuid, c3 is re-pointed at c1.
    await mergeDisk(store, paths[2] ?? '', { children: ['d/c3.avhdx'] });
    const grandchild = await openDisk(store, 'd/c3.avhdx', { cache });
    try {
      expect(grandchild.info.parentPath).toBe(paths[1]);
      expect(grandchild.parent?.info.dataWriteGuid).not.toBe(undefined);
      const buf = new Uint8Array(4096);
      await grandchild.read(buf, 0);
      expect(buf[0]).toBe(7);
    } finally {
      await grandchild.close();
    }
    expect(cache.size(store)).toBe(2);
  });

  it('refuses a chain whose cached parent was changed behind its child', async () => {
    const store = memoryFileStore();
    const paths = await chain(store, 2);
    const cache = new DiskCache();
    await readAt(store, paths[2] ?? '', 0, cache);
    await writeAt(store, paths[1] ?? '', 1, 0);
    await expect(readAt(store, paths[2] ?? '', 0, cache)).rejects.toMatchObject({
      code: 'PARENT_MISMATCH',
    });
  });

  it('a writable open through the cache drops the disk and everything above it; a dropped disk in use closes when released', async () => {
    const store = memoryFileStore();
    const paths = await chain(store, 3);
    const cache = new DiskCache();
    const reader = await openDisk(store, paths[3] ?? '', { cache });
    expect(cache.size(store)).toBe(3);
    const writer = await openDisk(store, paths[1] ?? '', { writable: true, cache });
    expect(cache.size(store)).toBe(1);
    const buf = new Uint8Array(512);
    await reader.read(buf, 0);
    await reader.close();
    await writer.close();
    await cache.clear(store);
    expect(cache.size(store)).toBe(0);
  });
});
