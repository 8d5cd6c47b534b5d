import { describe, expect, it } from 'vitest';
import { createTestHost } from '../testing/index.js';
import { HOST_SETTINGS_PATH } from './hostSettings.js';

describe('Hyper-V Settings: the default folders for new VMs (Set-VMHost)', () => {
  it("a host without settings has Hyper-V's layout: disks in 'Virtual Hard Disks', VMs in the data folder", async () => {
    const { host } = await createTestHost();
    expect(host.info()).toMatchObject({
      virtualHardDiskPath: 'Virtual Hard Disks',
      virtualMachinePath: '.',
    });
    const vm = await host.createVm({ name: 'Web-01' });
    expect(vm.hardDrives[0]?.path).toBe('Virtual Hard Disks/Web-01.vhdx');
    expect(vm.snapshotFileLocation).toBe('Snapshots');
  });

  it("new VMs put their disk in the virtual hard disk path and their checkpoints under the VM path's Snapshots", async () => {
    const { host } = await createTestHost();
    const info = await host.updateHostSettings({
      virtualHardDiskPath: 'Storage\\Disks',
      virtualMachinePath: 'Storage/VMs',
    });
    expect(info).toMatchObject({
      virtualHardDiskPath: 'Storage/Disks',
      virtualMachinePath: 'Storage/VMs',
    });
    const vm = await host.createVm({ name: 'Db-01' });
    expect(vm.hardDrives[0]?.path).toBe('Storage/Disks/Db-01.vhdx');
    expect(vm.snapshotFileLocation).toBe('Storage/VMs/Snapshots');
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint.vmId).toBe(vm.id);
    expect((await host.checkHost()).ok).toBe(true);
  });

  it('the settings survive a restart of the host', async () => {
    const test = await createTestHost();
    await test.host.updateHostSettings({ virtualHardDiskPath: 'Disks', virtualMachinePath: '.' });
    expect(await test.store.exists(HOST_SETTINGS_PATH)).toBe(true);
    const host = await test.restart();
    expect(host.info()).toMatchObject({ virtualHardDiskPath: 'Disks', virtualMachinePath: '.' });
    expect((await host.createVm({ name: 'App' })).hardDrives[0]?.path).toBe('Disks/App.vhdx');
  });

  it('the temporary copy of a settings write cut short by a crash is removed; the old settings stay', async () => {
    const test = await createTestHost();
    await test.host.updateHostSettings({ virtualHardDiskPath: 'Disks' });
    const leftover = `.${HOST_SETTINGS_PATH}.0123456789ab.tmp`;
    await test.store.writeFileAtomic(leftover, new TextEncoder().encode('{"virtualHard'));
    const host = await test.restart();
    expect(await test.store.exists(leftover)).toBe(false);
    expect(host.info().virtualHardDiskPath).toBe('Disks');
  });

  it('a folder outside the data folder is refused as every other path is, and nothing changes', async () => {
    const { host } = await createTestHost();
    for (const path of ['../elsewhere', '/etc', 'C:\\Hyper-V']) {
      await expect(host.updateHostSettings({ virtualHardDiskPath: path })).rejects.toThrow(
        `The path '${path}' is outside the storage locations of this host.`,
      );
    }
    await expect(
      host.updateHostSettings({ virtualHardDiskPath: 'Disks', virtualMachinePath: '../vms' }),
    ).rejects.toThrow('outside the storage locations');
    await expect(
      host.updateHostSettings({ virtualHardDiskPath: 'Virtual Machines/Disks' }),
    ).rejects.toThrow("inside the host's 'Virtual Machines' folder");
    expect(host.info().virtualHardDiskPath).toBe('Virtual Hard Disks');
  });
});
