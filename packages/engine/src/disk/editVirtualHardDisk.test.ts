import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MB = 1024 * 1024;

describe('Convert-VHD and Optimize-VHD', () => {
  test('Convert-VHD copies a dynamic disk into a new fixed one and back; the source stays', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 16 * MB });
    const fixed = await host.convertVirtualHardDisk({
      path: 'Disks/data.vhdx',
      destinationPath: 'Disks/fixed.vhdx',
      vhdType: 'Fixed',
    });
    expect(fixed).toMatchObject({
      path: 'Disks/fixed.vhdx',
      type: 'Fixed',
      virtualSizeBytes: 16 * MB,
    });
    expect(fixed.fileSizeBytes).toBeGreaterThanOrEqual(16 * MB);
    const dynamic = await host.convertVirtualHardDisk({
      path: 'Disks/fixed.vhdx',
      destinationPath: 'Disks/again.vhdx',
      vhdType: 'Dynamic',
      deleteSource: true,
    });
    expect(dynamic).toMatchObject({ type: 'Dynamic', virtualSizeBytes: 16 * MB });
    expect(dynamic.fileSizeBytes).toBeLessThan(16 * MB);
    expect((await host.listDisks()).map((d) => d.path).sort()).toEqual([
      'Disks/again.vhdx',
      'Disks/data.vhdx',
    ]);
  });

  test("Convert-VHD refuses an existing destination and a running VM's disk", async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'a.vhdx', sizeBytes: 8 * MB });
    await host.createVirtualHardDisk({ path: 'b.vhdx', sizeBytes: 8 * MB });
    await expect(
      host.convertVirtualHardDisk({ path: 'a.vhdx', destinationPath: 'b.vhdx' }),
    ).rejects.toThrow('The file exists. (0x80070050)');
    const vm = await buildVm(host, { state: 'Running' });
    const disk = vm.hardDrives[0]?.path ?? '';
    await expect(
      host.convertVirtualHardDisk({ path: disk, destinationPath: 'copy.vhdx', vhdType: 'Fixed' }),
    ).rejects.toThrow(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    expect(await host.listDisks()).not.toContainEqual(
      expect.objectContaining({ path: 'copy.vhdx' }),
    );
  });

  test("Optimize-VHD compacts an Off VM's disk without changing what the guest reads", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const path = vm.hardDrives[0]?.path ?? '';
    const before = await host.inspectDisk(path);
    const after = await host.optimizeVirtualHardDisk({ path, mode: 'Full' });
    expect(after).toMatchObject({
      path,
      type: before.type,
      virtualSizeBytes: before.virtualSizeBytes,
      virtualDiskId: before.virtualDiskId,
    });
    expect(after.fileSizeBytes).toBeLessThanOrEqual(before.fileSizeBytes);
    // The VM still starts on it: the disk opens and its chain is intact.
    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).state).toBe('Running');
  });

  test('Optimize-VHD refuses a fixed disk, Retrim, and the disks of a VM with checkpoints', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'f.vhdx', sizeBytes: 8 * MB, fixed: true });
    await expect(host.optimizeVirtualHardDisk({ path: 'f.vhdx' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    await host.createVirtualHardDisk({ path: 'd.vhdx', sizeBytes: 8 * MB });
    await expect(
      host.optimizeVirtualHardDisk({ path: 'd.vhdx', mode: 'Retrim' }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id);
    const now = host.getVm(vm.id).hardDrives[0]?.path ?? '';
    await expect(host.optimizeVirtualHardDisk({ path: now })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'has-checkpoints' },
    });
  });

  test('an edit and a Start of its Off VM never both go ahead: the VM is held while its disk is edited', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const path = vm.hardDrives[0]?.path ?? '';
    const [edit, start] = await Promise.allSettled([
      host.optimizeVirtualHardDisk({ path, mode: 'Full' }),
      host.changeVmState(vm.id, 'start'),
    ]);
    expect([edit.status, start.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused: unknown =
      edit.status === 'rejected' ? edit.reason : start.status === 'rejected' ? start.reason : null;
    expect(refused).toMatchObject({ code: 'INVALID_STATE' });
  });
});
