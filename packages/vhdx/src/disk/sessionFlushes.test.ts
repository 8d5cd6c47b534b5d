// The flushes a writable session makes (MS-VHDX 2.2.2 headers, 2.3 log): a new FileWriteGuid
// before the first change and not for a session that changes nothing, and the flushes of a
// merge of a child without children, each of which orders two writes a power loss must not swap.
import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  deleteMergedChild,
  memoryFileStore,
  mergeDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import { MiB, pattern } from '../test-support/patterns.js';
import { VhdxFile } from './vhdxFile.js';

/** A store that counts each file's flushes. */
function countingStore(inner: FileStore): FileStore & { flushes: Map<string, number> } {
  const flushes = new Map<string, number>();
  return {
    ...inner,
    flushes,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      return {
        ...h,
        read: (b, p) => h.read(b, p),
        write: (b, p) => h.write(b, p),
        size: () => h.size(),
        truncate: (l) => h.truncate(l),
        close: () => h.close(),
        async sync() {
          flushes.set(path, (flushes.get(path) ?? 0) + 1);
          await h.sync();
        },
      };
    },
  };
}

async function fileWriteGuid(store: FileStore, path: string): Promise<string> {
  const file = await VhdxFile.open(store, path, false);
  try {
    return file.header.fileWriteGuid;
  } finally {
    await file.close();
  }
}

describe('writable sessions', () => {
  it('a session that changes nothing leaves the file byte for byte as it was', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 8 * MiB });
    const before = (await store.readFile('d.vhdx')).slice();
    const counting = countingStore(store);
    const disk = await openDisk(counting, 'd.vhdx', { writable: true });
    await disk.read(new Uint8Array(4096), 0);
    await disk.flush();
    await disk.close();
    expect(Buffer.from(await store.readFile('d.vhdx')).equals(Buffer.from(before))).toBe(true);
    expect(counting.flushes.get('d.vhdx') ?? 0).toBe(0);
  });

  it('the first change of a session gives the file a new FileWriteGuid', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 8 * MiB });
    const first = await fileWriteGuid(store, 'd.vhdx');
    const disk = await openDisk(store, 'd.vhdx', { writable: true });
    await disk.write(pattern(4096, 1), 0);
    await disk.close();
    const second = await fileWriteGuid(store, 'd.vhdx');
    expect(second).not.toBe(first);
  });

  it('a merge of a child without children flushes the child 2 times and the parent 6', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    const disk = await openDisk(store, 'child.avhdx', { writable: true });
    await disk.write(pattern(4 * MiB, 2), 0);
    await disk.close();
    const counting = countingStore(store);
    await mergeDisk(counting, 'child.avhdx');
    // Child (parent_linkage2 through the log): the header with the session's FileWriteGuid and
    // the LogGuid, then the log entry. The file is deleted with the merge: its in-place writes,
    // the header closing its log and the second header slot are never flushed (a crash before the
    // deletion replays the entry; merge.test.ts cuts the merge at every file operation).
    expect(counting.flushes.get('child.avhdx')).toBe(2);
    // Parent: header with the new DataWriteGuid, header with the LogGuid (which makes the copied
    // data durable too), log entry, in-place writes, header closing the log, second slot.
    expect(counting.flushes.get('base.vhdx')).toBe(6);
  });

  it('a merge that leaves its child to be deleted after it makes the same flushes, and the deletion none', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    const disk = await openDisk(store, 'child.avhdx', { writable: true });
    await disk.write(pattern(4 * MiB, 2), 0);
    await disk.close();
    const counting = countingStore(store);
    await mergeDisk(counting, 'child.avhdx', { deferChildDeletion: true });
    // The child's file is closed as it would be for its deletion (no flush to bring it to rest).
    expect(counting.flushes.get('child.avhdx')).toBe(2);
    expect(counting.flushes.get('base.vhdx')).toBe(6);
    // The deletion reads the child's locator (is it the merged child?) and unlinks two files.
    const before = new Map(counting.flushes);
    await deleteMergedChild(counting, 'child.avhdx');
    expect(counting.flushes).toEqual(before);
  });
});
