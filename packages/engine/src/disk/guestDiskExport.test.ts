// The guest's disk served with several NBD requests at once: which run beside each other, which
// take their turn, and that closing waits for them all.
import { memoryFileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { vhdxDiskLibrary, type DiskLibrary, type DiskReaderWriterSession } from './diskLibrary.js';
import { openGuestDiskExport } from './guestDiskExport.js';

const MiB = 1024 * 1024;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

/** The VHDX library with each session call taking a moment, and counts of what ran at once. */
function watchedLibrary(): {
  library: DiskLibrary;
  seen: { besideMost: number; tableMost: number; tableWithTable: boolean };
} {
  const seen = { besideMost: 0, tableMost: 0, tableWithTable: false };
  let beside = 0;
  let table = 0;
  const watch = async <T>(changesTable: boolean, work: () => Promise<T>): Promise<T> => {
    if (changesTable) {
      table += 1;
      seen.tableMost = Math.max(seen.tableMost, table);
    } else {
      beside += 1;
      seen.besideMost = Math.max(seen.besideMost, beside);
    }
    try {
      await tick();
      return await work();
    } finally {
      if (changesTable) table -= 1;
      else beside -= 1;
    }
  };
  const library: DiskLibrary = {
    ...vhdxDiskLibrary,
    async openReaderWriter(store, path) {
      const session: DiskReaderWriterSession | undefined = await vhdxDiskLibrary.openReaderWriter?.(
        store,
        path,
      );
      if (session === undefined) throw new Error('no reader-writer');
      return {
        ...session,
        read: (offset, length) => watch(false, () => session.read(offset, length)),
        write: (offset, data) =>
          watch(!session.writesInPlace(offset, data.length), () => session.write(offset, data)),
        writesInPlace: (offset, length) => session.writesInPlace(offset, length),
        flush: () => watch(true, () => session.flush()),
        close: () => session.close(),
      };
    },
  };
  return { library, seen };
}

describe('the guest disk export with requests in flight', () => {
  it('runs reads and in-place writes beside each other; block-table changes and flushes one at a time; nothing lost', async () => {
    const store = memoryFileStore();
    await vhdxDiskLibrary.createDynamicDisk(store, 'base.vhdx', 128 * MiB);
    await vhdxDiskLibrary.createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    const { library, seen } = watchedLibrary();
    const disk = await openGuestDiskExport(library, store, 'child.avhdx');
    await disk.write(0, new Uint8Array(32 * MiB).fill(1), false);
    const requests: Promise<unknown>[] = [];
    for (let i = 0; i < 32; i++) {
      requests.push(disk.write(i * 64 * 1024, new Uint8Array(4096).fill(i + 2), false));
      requests.push(disk.read(i * 64 * 1024 + 8192, 4096));
      requests.push(
        disk.write(32 * MiB + i * 1024 * 1024, new Uint8Array(512).fill(i + 2), i % 8 === 0),
      );
      if (i % 8 === 7) requests.push(disk.flush());
    }
    await Promise.all(requests);
    expect(seen.besideMost).toBeGreaterThan(1);
    expect(seen.tableMost).toBe(1);
    await disk.close();
    const reopened = await vhdxDiskLibrary.readDisk(store, 'child.avhdx', 0, 64 * MiB);
    for (let i = 0; i < 32; i++) {
      expect(reopened[i * 64 * 1024]).toBe(i + 2);
      expect(reopened[i * 64 * 1024 + 8192]).toBe(1);
      expect(reopened[32 * MiB + i * MiB]).toBe(i + 2);
    }
  });

  it('closing waits for the requests under way, and later ones are refused', async () => {
    const store = memoryFileStore();
    await vhdxDiskLibrary.createDynamicDisk(store, 'disk.vhdx', 64 * MiB);
    const { library } = watchedLibrary();
    const disk = await openGuestDiskExport(library, store, 'disk.vhdx');
    await disk.write(0, new Uint8Array(MiB).fill(3), false);
    const underWay = disk.write(4096, new Uint8Array(4096).fill(4), false);
    const reading = disk.read(0, 4096);
    const closing = disk.close();
    await expect(disk.read(0, 512)).rejects.toThrow(/no longer served/);
    await Promise.all([underWay, reading, closing]);
    expect((await reading)[0]).toBe(3);
    const bytes = await vhdxDiskLibrary.readDisk(store, 'disk.vhdx', 4096, 4096);
    expect(bytes.every((b) => b === 4)).toBe(true);
  });
});
