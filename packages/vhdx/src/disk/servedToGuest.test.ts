import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  DiskCache,
  mergeDisk,
  nodeFileStore,
  openDisk,
  type FileStore,
  type OpenMode,
  type OpenOptions,
} from '../index.js';
import { makeTempDir } from '../test-support/externalTools.js';

const MiB = 1024 * 1024;

const temps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of temps) await cleanup();
});

/** A real folder's store, and how each of its files was last asked to be opened. */
async function aStore(): Promise<{
  dir: string;
  store: FileStore;
  opens: { path: string; mode: OpenMode; onTheSpot: boolean }[];
}> {
  const { dir, cleanup } = await makeTempDir();
  temps.push(cleanup);
  const inner = nodeFileStore(dir);
  const opens: { path: string; mode: OpenMode; onTheSpot: boolean }[] = [];
  const store: FileStore = {
    ...inner,
    open: (path: string, mode: OpenMode, options?: OpenOptions) => {
      opens.push({ path, mode, onTheSpot: options?.ioOnTheSpot === true });
      return inner.open(path, mode, options);
    },
  };
  return { dir, store, opens };
}

/** How many descriptors this process holds open on the file. */
function openCount(dir: string, path: string): number {
  const target = join(dir, path);
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === target) n += 1;
    } catch {
      // The directory's own descriptor, closed by the time it is read.
    }
  }
  return n;
}

/** Whether the event loop turned (a setImmediate ran) while `work` was under way. */
async function loopTurnedDuring(work: () => Promise<unknown>): Promise<boolean> {
  let turned = false;
  const immediate = setImmediate(() => (turned = true));
  await work();
  clearImmediate(immediate);
  return turned;
}

/** base.vhdx (its first MiB written with `byte`) ← mid.avhdx ← now.avhdx. */
async function chain(store: FileStore, byte: number): Promise<void> {
  await createDynamicDisk(store, 'd/base.vhdx', { virtualSize: 16 * MiB, blockSize: MiB });
  const base = await openDisk(store, 'd/base.vhdx', { writable: true });
  await base.write(new Uint8Array(MiB).fill(byte), 0);
  await base.close();
  await createDifferencingDisk(store, 'd/mid.avhdx', 'd/base.vhdx');
  await createDifferencingDisk(store, 'd/now.avhdx', 'd/mid.avhdx');
}

describe('a disk served to a guest (servedToGuest)', () => {
  it('shares one open file per parent with every other user of the store', async () => {
    const { dir, store } = await aStore();
    await chain(store, 1);
    // A checkpoint's other branch reads through the same parents.
    await createDifferencingDisk(store, 'd/other.avhdx', 'd/mid.avhdx');
    const cache = new DiskCache();
    const served = await openDisk(store, 'd/now.avhdx', {
      writable: true,
      cache,
      servedToGuest: true,
    });
    const reader = await openDisk(store, 'd/other.avhdx', { cache });
    expect(cache.size(store)).toBe(2);
    for (const parent of ['d/base.vhdx', 'd/mid.avhdx']) expect(openCount(dir, parent)).toBe(1);
    expect(reader.parent).toBe(served.parent);
    // A merge (or any change) of a parent, told through the store, reaches the guest's chain.
    await cache.invalidate(store, 'd/base.vhdx');
    expect(cache.size(store)).toBe(0);
    await reader.close();
    await served.close();
    for (const parent of ['d/base.vhdx', 'd/mid.avhdx']) expect(openCount(dir, parent)).toBe(0);
  });

  it("makes the guest's requests on the spot, through the shared parents too, and no one else's", async () => {
    const { store } = await aStore();
    await chain(store, 2);
    await createDifferencingDisk(store, 'd/other.avhdx', 'd/mid.avhdx');
    const cache = new DiskCache();
    const served = await openDisk(store, 'd/now.avhdx', {
      writable: true,
      cache,
      servedToGuest: true,
    });
    const reader = await openDisk(store, 'd/other.avhdx', { cache });
    const buffer = new Uint8Array(MiB);
    // A first request reads the files' block-table pages (once, as every user does: in the pool).
    await served.read(buffer.subarray(0, 4096), 0);
    // 1 MiB that only base.vhdx holds, two files down.
    expect(await loopTurnedDuring(() => served.read(buffer, 0))).toBe(false);
    expect(buffer.every((b) => b === 2)).toBe(true);
    expect(await loopTurnedDuring(() => reader.read(buffer.fill(0), 0))).toBe(true);
    expect(buffer.every((b) => b === 2)).toBe(true);
    // The first write allocates the block and starts the session (a flush, in the pool); a
    // write over it after that changes data alone, on the spot.
    await served.write(new Uint8Array(MiB).fill(3), 2 * MiB);
    await served.flush();
    expect(await loopTurnedDuring(() => served.write(buffer.fill(4), 2 * MiB))).toBe(false);
    await reader.close();
    await served.close();
  });

  it('a merge of its chain opens nothing on the spot, and the disk served again reads the merged parent', async () => {
    const { dir, store, opens } = await aStore();
    await chain(store, 5);
    const cache = new DiskCache();
    const served = await openDisk(store, 'd/now.avhdx', {
      writable: true,
      cache,
      servedToGuest: true,
    });
    await served.write(new Uint8Array(4096).fill(6), 0);
    await served.close();
    // mid.avhdx (holding nothing) folds into base.vhdx, and now.avhdx is re-pointed at base.
    await cache.clear(store);
    const before = opens.length;
    await mergeDisk(store, 'd/mid.avhdx', { children: ['d/now.avhdx'] });
    expect(opens.slice(before).filter((o) => o.onTheSpot)).toEqual([]);
    const again = await openDisk(store, 'd/now.avhdx', {
      writable: true,
      cache,
      servedToGuest: true,
    });
    expect(again.info.parentPath).toBe('d/base.vhdx');
    const buffer = new Uint8Array(8192);
    await again.read(buffer, 0);
    expect(buffer.subarray(0, 4096).every((b) => b === 6)).toBe(true);
    expect(buffer.subarray(4096).every((b) => b === 5)).toBe(true);
    expect(openCount(dir, 'd/base.vhdx')).toBe(1);
    expect(opens.filter((o) => o.onTheSpot).map((o) => o.path)).toEqual([
      'd/now.avhdx',
      'd/now.avhdx',
    ]);
    await again.close();
  });
});
