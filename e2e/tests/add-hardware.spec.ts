import { test, expect } from '../fixtures.js';

test.describe('Settings: Add Hardware', () => {
  test('adds a second network adapter and a SCSI controller with a new disk, keeps them, then removes them', async ({
    manager,
    settings,
    api,
    vm,
    uniqueName,
  }) => {
    const disk = `${uniqueName('data')}.vhdx`;
    await api.createDisk(disk, 64 * 1024 ** 2);
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');

    // Add puts the device in the left list and selects it, as Hyper-V Manager does.
    await settings.addHardware('Network Adapter');
    await expect(settings.items('Network Adapter')).toHaveCount(2);
    await settings.addHardware('SCSI Controller');
    await expect(settings.items('SCSI Controller')).toHaveCount(2);
    await settings.pageButton('Add').click();
    await expect(settings.selectedItem).toHaveAccessibleName('Hard Drive');
    await settings.virtualHardDisk.fill(disk);
    await settings.ok();

    const changed = await api.getVm(vm.id);
    expect(changed.networkAdapters).toHaveLength(2);
    expect(changed.scsiControllers).toHaveLength(2);
    expect(changed.hardDrives.map((d) => [d.controllerLocation, d.path.endsWith(disk)])).toEqual([
      ['SCSI 0:0', false],
      ['SCSI 1:0', true],
    ]);

    // Reopened, the dialog shows them.
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await expect(settings.items('Network Adapter')).toHaveCount(2);
    await expect(settings.items('SCSI Controller')).toHaveCount(2);
    await expect(settings.items('Hard Drive').nth(1)).toHaveAccessibleDescription(disk);

    // Remove: the adapter, the drive, then its emptied controller.
    await settings.items('Network Adapter').nth(1).click();
    await settings.pageButton('Remove').click();
    await expect(settings.items('Network Adapter')).toHaveCount(1);
    await settings.items('SCSI Controller').nth(1).click();
    await expect(settings.pageButton('Remove')).toBeDisabled();
    await settings.items('Hard Drive').nth(1).click();
    await settings.pageButton('Remove').click();
    await expect(settings.selectedItem).toHaveAccessibleName('SCSI Controller');
    await expect(settings.pageButton('Remove')).toBeEnabled();
    await settings.pageButton('Remove').click();
    await expect(settings.items('SCSI Controller')).toHaveCount(1);
    await settings.ok();

    const after = await api.getVm(vm.id);
    expect(after.networkAdapters).toHaveLength(1);
    expect(after.scsiControllers).toHaveLength(1);
    expect(after.hardDrives.map((d) => d.controllerLocation)).toEqual(['SCSI 0:0']);
  });
});
