import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MB = 1024 * 1024;

describe('Resize-VHD and New-VHD -Fixed', () => {
  test('grows a dynamic disk, shrinks it to its minimum, and refuses less', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 64 * MB });
    const grown = await host.resizeVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 96 * MB });
    expect(grown).toMatchObject({ type: 'Dynamic', virtualSizeBytes: 96 * MB });
    const smallest = await host.resizeVirtualHardDisk({
      path: 'Disks/data.vhdx',
      toMinimumSize: true,
    });
    expect(smallest.virtualSizeBytes).toBe(3 * MB);
    await expect(
      host.resizeVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 2 * MB }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'sizeBytes' } });
    await expect(
      host.resizeVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 8 * MB + 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test("a running VM's disk is refused with Windows' sharing violation and keeps its size", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    const path = vm.hardDrives[0]?.path ?? '';
    const before = (await host.inspectDisk(path)).virtualSizeBytes;
    await expect(host.resizeVirtualHardDisk({ path, sizeBytes: 2 * before })).rejects.toThrow(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    expect((await host.inspectDisk(path)).virtualSizeBytes).toBe(before);
  });

  test("an Off VM's disk is resized; once the VM has a checkpoint, its disks are refused", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const path = vm.hardDrives[0]?.path ?? '';
    const before = (await host.inspectDisk(path)).virtualSizeBytes;
    const grown = await host.resizeVirtualHardDisk({ path, sizeBytes: before + 64 * MB });
    expect(grown.virtualSizeBytes).toBe(before + 64 * MB);
    await host.createCheckpoint(vm.id);
    const now = host.getVm(vm.id).hardDrives[0]?.path ?? '';
    for (const disk of [path, now]) {
      await expect(
        host.resizeVirtualHardDisk({ path: disk, sizeBytes: before + 128 * MB }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE', details: { reason: 'has-checkpoints' } });
    }
  });

  test('a fixed disk is created whole, and is not resized', async () => {
    const { host } = await createTestHost();
    const fixed = await host.createVirtualHardDisk({
      path: 'Disks/fixed.vhdx',
      sizeBytes: 8 * MB,
      fixed: true,
    });
    expect(fixed).toMatchObject({ type: 'Fixed', virtualSizeBytes: 8 * MB });
    expect(fixed.fileSizeBytes).toBeGreaterThanOrEqual(8 * MB);
    await expect(
      host.resizeVirtualHardDisk({ path: 'Disks/fixed.vhdx', sizeBytes: 16 * MB }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
