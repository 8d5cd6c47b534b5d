import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MB = 1024 * 1024;

describe('hard disk drives', () => {
  test('a disk is added on the next free SCSI location, survives a restart, and is removed without deleting the file', async () => {
    const testHost = await createTestHost();
    const { host, store } = testHost;
    const vm = await buildVm(host);
    await host.createVirtualHardDisk({ path: 'Data/data.vhdx', sizeBytes: 16 * MB });
    const added = await host.addHardDiskDrive(vm.id, { path: 'Data/data.vhdx' });
    expect(added.hardDrives.map((d) => [d.controllerLocation, d.path, d.virtualSizeBytes])).toEqual(
      [
        ['SCSI 0:0', vm.hardDrives[0]?.path, vm.hardDrives[0]?.virtualSizeBytes],
        ['SCSI 0:1', 'Data/data.vhdx', 16 * MB],
      ],
    );
    const restarted = await testHost.restart();
    expect(restarted.getVm(vm.id).hardDrives).toHaveLength(2);
    const removed = await restarted.removeHardDiskDrive(vm.id, 'SCSI 0:1');
    expect(removed.hardDrives).toHaveLength(1);
    expect(await store.exists('Data/data.vhdx')).toBe(true);
    const log = await restarted.queryEventLog({ limit: 2 });
    expect(log.entries[0]?.message).toContain('hard disk drive at SCSI 0:1 removed');
  });

  test('a checkpoint after adding a drive freezes both disks', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.createVirtualHardDisk({ path: 'd2.vhdx', sizeBytes: 8 * MB });
    await host.addScsiController(vm.id);
    await host.addHardDiskDrive(vm.id, {
      path: 'd2.vhdx',
      controllerNumber: 1,
      controllerLocation: 5,
    });
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'two disks' });
    expect(checkpoint.hardDrives).toHaveLength(2);
    expect(host.getVm(vm.id).hardDrives[1]?.controllerLocation).toBe('SCSI 1:5');
    expect(host.getVm(vm.id).hardDrives[1]?.chain.at(-1)).toBe('d2.vhdx');
  });

  test('refused: a running VM, a VM with checkpoints, a disk another VM uses, a taken or impossible slot', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const other = await buildVm(host);
    await host.createVirtualHardDisk({ path: 'd.vhdx', sizeBytes: 8 * MB });
    await expect(
      host.addHardDiskDrive(vm.id, { path: other.hardDrives[0]?.path ?? '' }),
    ).rejects.toThrow('being used by another process');
    await expect(
      host.addHardDiskDrive(vm.id, {
        path: 'd.vhdx',
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(
      host.addHardDiskDrive(vm.id, { path: 'd.vhdx', controllerType: 'IDE' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await host.changeVmState(vm.id, 'start');
    await expect(host.addHardDiskDrive(vm.id, { path: 'd.vhdx' })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await host.changeVmState(vm.id, 'turn-off');
    await host.createCheckpoint(vm.id, { name: 'c' });
    await expect(host.addHardDiskDrive(vm.id, { path: 'd.vhdx' })).rejects.toThrow(
      'cannot be changed while it has checkpoints',
    );
    expect(host.getVm(vm.id).hardDrives).toHaveLength(1);
  });

  test('Generation 1: IDE locations, IDE 1:0 holds the DVD drive', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { generation: 1 });
    await host.createVirtualHardDisk({ path: 'a.vhdx', sizeBytes: 8 * MB });
    await host.createVirtualHardDisk({ path: 'b.vhdx', sizeBytes: 8 * MB });
    await host.addHardDiskDrive(vm.id, { path: 'a.vhdx' });
    const after = await host.addHardDiskDrive(vm.id, { path: 'b.vhdx' });
    expect(after.hardDrives.map((d) => d.controllerLocation)).toEqual([
      'IDE 0:0',
      'IDE 0:1',
      'IDE 1:1',
    ]);
  });

  test('Set: the drive points at another disk; the old file stays', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host);
    await host.createVirtualHardDisk({ path: 'a.vhdx', sizeBytes: 8 * MB });
    await host.createVirtualHardDisk({ path: 'b.vhdx', sizeBytes: 16 * MB });
    await host.addHardDiskDrive(vm.id, { path: 'a.vhdx' });
    const after = await host.setHardDiskDrivePath(vm.id, 'SCSI 0:1', 'b.vhdx');
    expect(after.hardDrives[1]).toMatchObject({ path: 'b.vhdx', virtualSizeBytes: 16 * MB });
    expect(await store.exists('a.vhdx')).toBe(true);
    // a.vhdx is free again: another VM may use it.
    const other = await buildVm(host);
    await expect(host.addHardDiskDrive(other.id, { path: 'a.vhdx' })).resolves.toBeDefined();
  });
});
