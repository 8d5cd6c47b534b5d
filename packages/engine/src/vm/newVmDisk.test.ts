import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MB = 1024 * 1024;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('New Virtual Machine: the disk choice', () => {
  test('an existing disk is attached as it is, at the first slot, and the file is kept on Remove', async () => {
    const testHost = await createTestHost();
    const { host, store } = testHost;
    await host.createVirtualHardDisk({ path: 'Brought/app.vhdx', sizeBytes: 16 * MB });
    const before = sha256(await store.readFile('Brought/app.vhdx'));
    const vm = await host.createVm({ name: 'APP', generation: 1, vhdPath: 'Brought\\app.vhdx' });
    expect(vm.hardDrives.map((d) => [d.controllerLocation, d.path, d.virtualSizeBytes])).toEqual([
      ['IDE 0:0', 'Brought/app.vhdx', 16 * MB],
    ]);
    expect(sha256(await store.readFile('Brought/app.vhdx'))).toBe(before);
    const restarted = await testHost.restart();
    expect(restarted.getVm(vm.id).hardDrives[0]?.path).toBe('Brought/app.vhdx');
    await restarted.deleteVm(vm.id);
    await restarted.whenIdle();
    expect(await store.exists('Brought/app.vhdx')).toBe(true);
  });

  test('a new disk goes where -NewVHDPath says, with its size; none at all with noVhd', async () => {
    const { host, store } = await createTestHost();
    const vm = await host.createVm({
      name: 'WEB',
      newVhdPath: 'Disks/web-system.vhdx',
      diskSizeBytes: 8 * MB,
    });
    expect(vm.hardDrives.map((d) => [d.path, d.virtualSizeBytes])).toEqual([
      ['Disks/web-system.vhdx', 8 * MB],
    ]);
    expect(await store.exists('Disks/web-system.vhdx')).toBe(true);
    const bare = await host.createVm({ name: 'LATER', noVhd: true });
    expect(bare.hardDrives).toEqual([]);
    // A disk attached later works like any other.
    await host.createVirtualHardDisk({ path: 'later.vhdx', sizeBytes: 4 * MB });
    const attached = await host.addHardDiskDrive(bare.id, { path: 'later.vhdx' });
    expect(attached.hardDrives.map((d) => [d.controllerLocation, d.path])).toEqual([
      ['SCSI 0:0', 'later.vhdx'],
    ]);
    const checkpoint = await host.createCheckpoint(bare.id, { name: 'with its disk' });
    expect(checkpoint.hardDrives).toHaveLength(1);
  });

  test('refused: a disk outside the storage locations, a missing file, one another VM uses, a taken new path, two choices at once', async () => {
    const { host } = await createTestHost({ dataLocation: '/srv/hyperv' });
    const other = await buildVm(host);
    const used = other.hardDrives[0]?.path ?? '';
    await expect(host.createVm({ name: 'A', vhdPath: '/etc/disk.vhdx' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: "The path '/etc/disk.vhdx' is outside the storage locations of this host.",
    });
    await expect(host.createVm({ name: 'A', vhdPath: '../up.vhdx' })).rejects.toMatchObject({
      details: { reason: 'outside-storage' },
    });
    await expect(host.createVm({ name: 'A', vhdPath: 'nowhere.vhdx' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(host.createVm({ name: 'A', vhdPath: used })).rejects.toThrow(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    await expect(host.createVm({ name: 'A', newVhdPath: 'Disks/a\u200bb.vhdx' })).rejects.toThrow(
      'The virtual hard disk file name cannot contain control characters or invisible formatting characters (U+200B at position 8).',
    );
    await expect(host.createVm({ name: 'A', newVhdPath: used })).rejects.toThrow(
      'The file exists. (0x80070050)',
    );
    await expect(
      host.createVm({ name: 'A', vhdPath: used, diskSizeBytes: 8 * MB }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(host.createVm({ name: 'A', noVhd: true, guestImage: 'x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(host.listVms().map((vm) => vm.name)).toEqual([other.name]);
  });

  test('two VMs created at once with the same existing disk: one gets it, the other is refused', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'shared.vhdx', sizeBytes: 4 * MB });
    const results = await Promise.allSettled([
      host.createVm({ name: 'ONE', vhdPath: 'shared.vhdx' }),
      host.createVm({ name: 'TWO', vhdPath: 'shared.vhdx' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(host.listVms()).toHaveLength(1);
  });

  test('a crash after creating a VM on an existing disk never deletes the disk on load', async () => {
    const testHost = await createTestHost();
    const { host, store } = testHost;
    await host.createVirtualHardDisk({ path: 'keep.vhdx', sizeBytes: 4 * MB });
    await host.createVm({ name: 'KEEP', vhdPath: 'keep.vhdx' });
    const restarted = await testHost.restart();
    expect(restarted.listVms().map((vm) => vm.name)).toEqual(['KEEP']);
    expect(await store.exists('keep.vhdx')).toBe(true);
  });
});

describe('New Virtual Machine: startup memory', () => {
  test('must be a multiple of 2 MB, in Hyper-V words', async () => {
    const { host } = await createTestHost();
    await expect(host.createVm({ name: 'ODD', memoryStartupMB: 1025 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: "Invalid memory value assigned for 'ODD'. Memory values must be properly aligned.",
    });
    expect((await host.createVm({ name: 'EVEN', memoryStartupMB: 1026, noVhd: true })).name).toBe(
      'EVEN',
    );
  });
});
