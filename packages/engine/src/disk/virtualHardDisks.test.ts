import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MB = 1024 * 1024;

describe('New-VHD and Merge-VHD', () => {
  test('a dynamic disk, then a differencing child of it; both real VHDX files', async () => {
    const { host } = await createTestHost();
    const base = await host.createVirtualHardDisk({ path: 'Disks/base.vhdx', sizeBytes: 64 * MB });
    expect(base).toMatchObject({
      path: 'Disks/base.vhdx',
      type: 'Dynamic',
      virtualSizeBytes: 64 * MB,
      parentPath: null,
    });
    const child = await host.createVirtualHardDisk({
      path: 'Disks/child.vhdx',
      parentPath: 'Disks/base.vhdx',
    });
    expect(child).toMatchObject({
      type: 'Differencing',
      virtualSizeBytes: 64 * MB,
      parentPath: 'Disks/base.vhdx',
    });
    expect(child.chain.map((d) => d.path)).toEqual(['Disks/child.vhdx', 'Disks/base.vhdx']);
  });

  test('an existing file, another format and a bad size are refused', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'a.vhdx', sizeBytes: 8 * MB });
    await expect(host.createVirtualHardDisk({ path: 'a.vhdx', sizeBytes: 8 * MB })).rejects.toThrow(
      'The file exists. (0x80070050)',
    );
    await expect(
      host.createVirtualHardDisk({ path: 'b.vhd', sizeBytes: 8 * MB }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      host.createVirtualHardDisk({ path: 'c.vhdx', sizeBytes: 1000 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      host.createVirtualHardDisk({ path: '../outside.vhdx', sizeBytes: 8 * MB }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  test("a VM's disk cannot be the parent of a new differencing disk", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const disk = vm.hardDrives[0]?.path ?? '';
    await expect(host.createVirtualHardDisk({ path: 'x.vhdx', parentPath: disk })).rejects.toThrow(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
  });

  test('Merge-VHD folds a chain into its base and removes the merged files', async () => {
    const { host, store } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'base.vhdx', sizeBytes: 8 * MB });
    await host.createVirtualHardDisk({ path: 'mid.vhdx', parentPath: 'base.vhdx' });
    await host.createVirtualHardDisk({ path: 'top.vhdx', parentPath: 'mid.vhdx' });
    const result = await host.mergeVirtualHardDisk({
      path: 'top.vhdx',
      destinationPath: 'base.vhdx',
    });
    expect(result).toMatchObject({ path: 'base.vhdx', type: 'Dynamic' });
    expect(await store.exists('top.vhdx')).toBe(false);
    expect(await store.exists('mid.vhdx')).toBe(false);
  });

  test('Merge-VHD refuses a disk of a VM with checkpoints', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'one' });
    const drive = host.getVm(vm.id).hardDrives[0];
    await expect(host.mergeVirtualHardDisk({ path: drive?.path ?? '' })).rejects.toThrow(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    expect(host.getVm(vm.id).hardDrives[0]?.chain).toEqual(drive?.chain);
  });

  test('Merge-VHD of a base disk or into a disk outside the chain is refused', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'base.vhdx', sizeBytes: 8 * MB });
    await host.createVirtualHardDisk({ path: 'other.vhdx', sizeBytes: 8 * MB });
    await host.createVirtualHardDisk({ path: 'top.vhdx', parentPath: 'base.vhdx' });
    await expect(host.mergeVirtualHardDisk({ path: 'base.vhdx' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      host.mergeVirtualHardDisk({ path: 'top.vhdx', destinationPath: 'other.vhdx' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
