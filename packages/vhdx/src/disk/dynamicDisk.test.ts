import { describe, expect, it } from 'vitest';
import { createDynamicDisk, memoryFileStore, openDisk, VhdxError } from '../index.js';
import { firstDifference, MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';

describe('dynamic disk', () => {
  it('reads zeros after creation and reports Hyper-V defaults', async () => {
    const store = memoryFileStore();
    const info = await createDynamicDisk(store, 'Virtual Hard Disks/a.vhdx', {
      virtualSize: 64 * MiB,
    });
    expect(info).toMatchObject({
      path: 'Virtual Hard Disks/a.vhdx',
      type: 'Dynamic',
      virtualSize: 64 * MiB,
      blockSize: 32 * MiB,
      logicalSectorSize: 512,
      physicalSectorSize: 4096,
      parentPath: null,
      parentLinkage: null,
      creator: 'Hyper-V Manager Web',
      fileSize: 4 * MiB,
    });
    expect(info.virtualDiskId).toMatch(/^[0-9a-f-]{36}$/);
    const disk = await openDisk(store, info.path);
    expect(firstDifference(await readAll(disk), new Uint8Array(64 * MiB))).toBe(-1);
    await disk.close();
  });

  it('keeps the requested disk id and sector sizes', async () => {
    const store = memoryFileStore();
    const id = '788015F0-5E93-4BD2-A5DE-B0CD8459DB11';
    const info = await createDynamicDisk(store, 'b.vhdx', {
      virtualSize: 8 * MiB,
      blockSize: MiB,
      logicalSectorSize: 4096,
      physicalSectorSize: 512,
      virtualDiskId: id,
    });
    expect(info).toMatchObject({
      virtualDiskId: id.toLowerCase(),
      blockSize: MiB,
      logicalSectorSize: 4096,
      physicalSectorSize: 512,
    });
  });

  it('round-trips writes across block boundaries and unaligned offsets, before and after reopening', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 9 * MiB + 512, blockSize: 2 * MiB });
    const ref = new ReferenceDisk(9 * MiB + 512);
    const disk = await openDisk(store, 'd.vhdx', { writable: true });
    const writes: [number, number][] = [
      [0, 4096],
      [2 * MiB - 100, 300],
      [3, 7],
      [4 * MiB - 1, 2 * MiB + 2],
      [9 * MiB + 500, 12],
      [5 * MiB + 17, 1],
    ];
    for (const [i, [off, len]] of writes.entries()) {
      const data = pattern(len, i + 1);
      await disk.write(data, off);
      ref.write(data, off);
    }
    expect(firstDifference(await readAll(disk), ref.bytes)).toBe(-1);
    const odd = new Uint8Array(1234);
    await disk.read(odd, 2 * MiB - 617);
    expect(firstDifference(odd, ref.bytes.subarray(2 * MiB - 617, 2 * MiB - 617 + 1234))).toBe(-1);
    await disk.close();
    const again = await openDisk(store, 'd.vhdx');
    expect(firstDifference(await readAll(again), ref.bytes)).toBe(-1);
    await again.close();
  });

  it('changes DataWriteGuid once per writing session, and not for a read-only or unwritten session', async () => {
    const store = memoryFileStore();
    const created = await createDynamicDisk(store, 'g.vhdx', { virtualSize: 4 * MiB });
    const ro = await openDisk(store, 'g.vhdx');
    await ro.close();
    const idle = await openDisk(store, 'g.vhdx', { writable: true });
    await idle.close();
    const rw = await openDisk(store, 'g.vhdx', { writable: true });
    expect(rw.info.dataWriteGuid).toBe(created.dataWriteGuid);
    await rw.write(new Uint8Array([1]), 0);
    const changed = rw.info.dataWriteGuid;
    expect(changed).not.toBe(created.dataWriteGuid);
    await rw.write(new Uint8Array([2]), 5000);
    expect(rw.info.dataWriteGuid).toBe(changed);
    await rw.close();
  });

  it('stays sparse: a 1 TiB disk with 1 MiB written occupies a few MiB', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'big.vhdx', { virtualSize: 1024 * 1024 * MiB });
    const disk = await openDisk(store, 'big.vhdx', { writable: true });
    await disk.write(pattern(MiB, 9), 512 * 1024 * MiB);
    await disk.flush();
    expect(disk.info.allocatedBytes).toBeLessThanOrEqual(6 * MiB);
    const back = new Uint8Array(MiB);
    await disk.read(back, 512 * 1024 * MiB);
    expect(firstDifference(back, pattern(MiB, 9))).toBe(-1);
    await disk.close();
  });

  it('rejects reads and writes outside the disk and writes on a read-only open', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'r.vhdx', { virtualSize: 4 * MiB });
    const disk = await openDisk(store, 'r.vhdx');
    await expect(disk.read(new Uint8Array(2), 4 * MiB - 1)).rejects.toMatchObject({
      code: 'RANGE',
    });
    await expect(disk.read(new Uint8Array(1), -1)).rejects.toBeInstanceOf(VhdxError);
    await expect(disk.write(new Uint8Array(1), 0)).rejects.toMatchObject({ code: 'READ_ONLY' });
    await disk.close();
  });

  it('refuses invalid creation options', async () => {
    const store = memoryFileStore();
    await expect(createDynamicDisk(store, 'x.vhdx', { virtualSize: 1000 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      createDynamicDisk(store, 'x.vhdx', { virtualSize: MiB, blockSize: 3 * MiB }),
    ).rejects.toBeInstanceOf(VhdxError);
    await createDynamicDisk(store, 'x.vhdx', { virtualSize: MiB });
    await expect(createDynamicDisk(store, 'x.vhdx', { virtualSize: MiB })).rejects.toMatchObject({
      code: 'EEXIST',
    });
  });
});
