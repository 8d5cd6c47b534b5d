import { describe, expect, it } from 'vitest';
import { memoryFileStore } from '../storage/memoryFileStore.js';
import { openDisk } from './chain.js';
import { createDifferencingDisk, createDynamicDisk } from './create.js';

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
});
