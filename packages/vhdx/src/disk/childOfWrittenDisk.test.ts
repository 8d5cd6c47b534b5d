import { describe, expect, it } from 'vitest';
import type { FileStore } from '../storage/fileStore.js';
import { memoryFileStore } from '../storage/memoryFileStore.js';
import { openDisk } from './chain.js';
import { createDifferencingDisk, createDynamicDisk } from './create.js';
import { DiskCache } from './diskCache.js';

const MiB = 1024 * 1024;

/**
 * A checkpoint of a running guest makes Now's new child while the guest still writes to the disk
 * it is about to leave. The child records the parent's DataWriteGuid (`parent_linkage`), which a
 * session changes before its first change of the data (MS-VHDX 2.2.2): unless the change began
 * before the child was made, the parent's next write leaves the child linked to nothing.
 */
describe('a child made of a disk open for writing', () => {
  it('stays linked when the open session began its change first, whatever it writes after', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 64 * MiB });
    const base = await openDisk(store, 'base.vhdx', { writable: true });
    await base.beginChange();
    await createDifferencingDisk(store, 'now.avhdx', 'base.vhdx');
    await base.write(new Uint8Array(4096).fill(7), 0);
    await base.flush();
    await base.close();

    const child = await openDisk(store, 'now.avhdx');
    const read = new Uint8Array(4096);
    await child.read(read, 0);
    expect(read.every((b) => b === 7)).toBe(true);
    await child.close();
  });

  it('is left unlinked when the session had not begun its change (why the change begins first)', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 64 * MiB });
    const base = await openDisk(store, 'base.vhdx', { writable: true });
    await createDifferencingDisk(store, 'now.avhdx', 'base.vhdx');
    await base.write(new Uint8Array(4096).fill(7), 0);
    await base.close();

    await expect(openDisk(store, 'now.avhdx')).rejects.toMatchObject({ code: 'PARENT_MISMATCH' });
  });

  it('keeps the DataWriteGuid a write already gave the session', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 64 * MiB });
    const base = await openDisk(store, 'base.vhdx', { writable: true });
    await base.write(new Uint8Array(4096).fill(1), 0);
    const written = base.info.dataWriteGuid;
    await base.beginChange();
    expect(base.info.dataWriteGuid).toBe(written);
    await base.close();
  });

  it('read through the open disk itself when opened through the same cache: every block and sector its writer adds until it closes', async () => {
    const inner = memoryFileStore();
    const opens: string[] = [];
    const store: FileStore = {
      ...inner,
      open: (path, mode, options) => {
        opens.push(path);
        return inner.open(path, mode, options);
      },
    };
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 64 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'now.avhdx', 'base.vhdx');
    const cache = new DiskCache();
    const now = await openDisk(store, 'now.avhdx', { writable: true, cache });
    await now.write(new Uint8Array(4096).fill(1), 0);
    await now.beginChange();
    await createDifferencingDisk(store, 'next.avhdx', 'now.avhdx');
    const opensBefore = opens.length;
    const next = await openDisk(store, 'next.avhdx', { writable: true, cache });
    expect(opens.slice(opensBefore)).toEqual(['next.avhdx']);
    // The writer goes on until its close: a sector of a block it holds in part, and a new block.
    await now.write(new Uint8Array(4096).fill(2), 4096);
    await now.write(new Uint8Array(4096).fill(3), 8 * MiB);
    await now.close();
    const read = new Uint8Array(3 * 4096);
    await next.read(read, 0);
    expect([read[0], read[4096], read[8192]]).toEqual([1, 2, 0]);
    await next.read(read.subarray(0, 4096), 8 * MiB);
    expect(read[0]).toBe(3);
    // Closed by its writer, the file is at rest and read-only for the child that reads through it.
    await expect(now.write(new Uint8Array(512), 0)).rejects.toMatchObject({ code: 'READ_ONLY' });
    await next.close();
    await cache.clear(store);
    const again = await openDisk(store, 'next.avhdx');
    await again.read(read.subarray(0, 4096), 8 * MiB);
    expect(read[0]).toBe(3);
    await again.close();
  });
});
