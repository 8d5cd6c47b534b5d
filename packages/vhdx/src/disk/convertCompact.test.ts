import { describe, expect, it } from 'vitest';
import {
  compactDisk,
  convertDisk,
  createDifferencingDisk,
  createDynamicDisk,
  createFixedDisk,
  inspectDisk,
  memoryFileStore,
  openDisk,
  VhdxError,
  type FileStore,
} from '../index.js';
import {
  faultyStore,
  restoreStore,
  SimulatedCrash,
  snapshotStore,
} from '../test-support/faultyStore.js';
import { firstDifference, MiB, pattern, readAll } from '../test-support/patterns.js';

async function write(store: FileStore, path: string, data: Uint8Array, at: number) {
  const disk = await openDisk(store, path, { writable: true });
  await disk.write(data, at);
  await disk.close();
}

async function contentOf(store: FileStore, path: string): Promise<Uint8Array> {
  const disk = await openDisk(store, path);
  try {
    return await readAll(disk);
  } finally {
    await disk.close();
  }
}

async function failureOf(promise: Promise<unknown>): Promise<VhdxError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VhdxError);
  return error as VhdxError;
}

describe('convertDisk', () => {
  it('copies a dynamic disk into a new fixed disk with the same content, leaving the source', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await write(store, 'd.vhdx', pattern(MiB + 7, 1), 3 * MiB);
    const before = await contentOf(store, 'd.vhdx');
    const fractions: number[] = [];
    const info = await convertDisk(store, 'd.vhdx', 'f.vhdx', {
      type: 'Fixed',
      onProgress: (f) => fractions.push(f),
    });
    expect(info).toMatchObject({ type: 'Fixed', virtualSize: 8 * MiB, blockSize: MiB });
    // A fixed disk's file holds every block: the data and the structures before it.
    expect(info.fileSize).toBeGreaterThanOrEqual(8 * MiB + 4 * MiB);
    expect(firstDifference(await contentOf(store, 'f.vhdx'), before)).toBe(-1);
    expect(firstDifference(await contentOf(store, 'd.vhdx'), before)).toBe(-1);
    expect(fractions.at(-1)).toBe(1);
    expect(await store.list('')).toEqual(expect.arrayContaining(['d.vhdx', 'f.vhdx']));
    expect((await store.list('')).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('copies a fixed disk into a dynamic one that holds only the blocks with data', async () => {
    const store = memoryFileStore();
    await createFixedDisk(store, 'f.vhdx', { virtualSize: 16 * MiB, blockSize: MiB });
    await write(store, 'f.vhdx', pattern(MiB, 2), 5 * MiB);
    const info = await convertDisk(store, 'f.vhdx', 'd.vhdx', { type: 'Dynamic' });
    expect(info.type).toBe('Dynamic');
    expect(info.fileSize).toBeLessThan(8 * MiB);
    expect(
      firstDifference(await contentOf(store, 'd.vhdx'), await contentOf(store, 'f.vhdx')),
    ).toBe(-1);
  });

  it('writes what a differencing disk shows through its chain into a standalone disk', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'p.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await write(store, 'p.vhdx', pattern(2 * MiB, 3), 0);
    await createDifferencingDisk(store, 'c.avhdx', 'p.vhdx');
    await write(store, 'c.avhdx', pattern(4096, 4), MiB - 512);
    const info = await convertDisk(store, 'c.avhdx', 'flat.vhdx', { type: 'Dynamic' });
    expect(info).toMatchObject({ type: 'Dynamic', parentPath: null });
    expect(
      firstDifference(await contentOf(store, 'flat.vhdx'), await contentOf(store, 'c.avhdx')),
    ).toBe(-1);
  });

  it('refuses a destination that exists, and leaves it alone', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'a.vhdx', { virtualSize: 4 * MiB });
    await createDynamicDisk(store, 'b.vhdx', { virtualSize: 8 * MiB });
    const error = await failureOf(convertDisk(store, 'a.vhdx', 'b.vhdx', { type: 'Fixed' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect((await inspectDisk(store, 'b.vhdx')).virtualSize).toBe(8 * MiB);
  });

  it('after a crash at any point there is no destination or a complete one; the source is intact', async () => {
    const base = memoryFileStore();
    await createDynamicDisk(base, 'd.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await write(base, 'd.vhdx', pattern(2 * MiB, 5), MiB);
    const expected = await contentOf(base, 'd.vhdx');
    const files = await snapshotStore(base);
    for (let ops = 0; ; ops += 1) {
      const after = await restoreStore(files);
      const store = faultyStore(after, { ops });
      const outcome = await convertDisk(store, 'd.vhdx', 'f.vhdx', { type: 'Fixed' }).then(
        () => 'done',
        (e: unknown) => {
          if (!(e instanceof SimulatedCrash)) throw e;
          return 'crashed';
        },
      );
      expect(firstDifference(await contentOf(after, 'd.vhdx'), expected)).toBe(-1);
      if (await after.exists('f.vhdx')) {
        expect(firstDifference(await contentOf(after, 'f.vhdx'), expected)).toBe(-1);
      }
      if (outcome === 'done') break;
      // A retry after the crash finishes the job (a stale temporary file is replaced).
      if (!(await after.exists('f.vhdx'))) {
        await convertDisk(after, 'd.vhdx', 'f.vhdx', { type: 'Fixed' });
        expect(firstDifference(await contentOf(after, 'f.vhdx'), expected)).toBe(-1);
      }
    }
  });
});

describe('compactDisk', () => {
  it('drops the blocks of a dynamic disk that read as zeros; the content stays the same', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 16 * MiB, blockSize: MiB });
    await write(store, 'd.vhdx', pattern(3 * MiB, 6), 2 * MiB);
    // The guest zeroes what it deleted (sdelete -z): the blocks stay allocated until compacted.
    await write(store, 'd.vhdx', new Uint8Array(2 * MiB), 2 * MiB);
    const before = await inspectDisk(store, 'd.vhdx');
    const content = await contentOf(store, 'd.vhdx');
    const result = await compactDisk(store, 'd.vhdx');
    const after = await inspectDisk(store, 'd.vhdx');
    expect(result.fileSizeBefore).toBe(before.fileSize);
    expect(result.fileSizeAfter).toBe(after.fileSize);
    expect(after.fileSize).toBe(before.fileSize - 2 * MiB);
    expect(after).toMatchObject({
      type: 'Dynamic',
      virtualSize: before.virtualSize,
      virtualDiskId: before.virtualDiskId,
    });
    expect(firstDifference(await contentOf(store, 'd.vhdx'), content)).toBe(-1);
  });

  it("keeps a differencing disk's parent, its DataWriteGuid (its children stay valid) and what hides the parent", async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'p.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await write(store, 'p.vhdx', pattern(2 * MiB, 7), 0);
    await createDifferencingDisk(store, 'c.avhdx', 'p.vhdx');
    // Zeros over the parent's data must stay (they hide it); zeros over zeros may go.
    await write(store, 'c.avhdx', new Uint8Array(MiB), 0);
    await write(store, 'c.avhdx', new Uint8Array(MiB), 4 * MiB);
    await write(store, 'c.avhdx', pattern(1024, 8), 6 * MiB + 512);
    await createDifferencingDisk(store, 'g.avhdx', 'c.avhdx');
    const before = await inspectDisk(store, 'c.avhdx');
    const content = await contentOf(store, 'g.avhdx');
    await compactDisk(store, 'c.avhdx');
    const after = await inspectDisk(store, 'c.avhdx');
    expect(after).toMatchObject({
      type: 'Differencing',
      parentPath: 'p.vhdx',
      dataWriteGuid: before.dataWriteGuid,
      parentLinkage: before.parentLinkage,
    });
    expect(after.fileSize).toBe(before.fileSize - MiB);
    expect(firstDifference(await contentOf(store, 'g.avhdx'), content)).toBe(-1);
  });

  it('refuses a fixed disk (Optimize-VHD optimizes every disk except fixed ones)', async () => {
    const store = memoryFileStore();
    await createFixedDisk(store, 'f.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    expect((await failureOf(compactDisk(store, 'f.vhdx'))).code).toBe('UNSUPPORTED');
  });

  it('after a crash at any point the disk reads as before; a retry compacts it', async () => {
    const base = memoryFileStore();
    await createDynamicDisk(base, 'd.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await write(base, 'd.vhdx', pattern(2 * MiB, 9), 0);
    await write(base, 'd.vhdx', new Uint8Array(MiB), 0);
    const expected = await contentOf(base, 'd.vhdx');
    const files = await snapshotStore(base);
    for (let ops = 0; ; ops += 1) {
      const after = await restoreStore(files);
      const store = faultyStore(after, { ops });
      const outcome = await compactDisk(store, 'd.vhdx').then(
        () => 'done',
        (e: unknown) => {
          if (!(e instanceof SimulatedCrash)) throw e;
          return 'crashed';
        },
      );
      expect(firstDifference(await contentOf(after, 'd.vhdx'), expected)).toBe(-1);
      if (outcome === 'done') break;
      await compactDisk(after, 'd.vhdx');
      expect(firstDifference(await contentOf(after, 'd.vhdx'), expected)).toBe(-1);
    }
  });
});
