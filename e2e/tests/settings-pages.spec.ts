import { test, expect } from '../fixtures.js';
import { SettingsDialog } from '../pages/SettingsDialog.js';

test.describe('Settings: the left list and the Firmware and Security pages', () => {
  test("the left list in Hyper-V Manager's order, each item with its summary line", async ({
    manager,
    settings,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await expect(settings.dialog).toBeVisible();
    expect((await settings.itemCaptions()).slice(0, 7)).toEqual([
      'Add Hardware',
      'Firmware',
      'Security',
      'Memory',
      'Processor',
      'SCSI Controller',
      'Hard Drive',
    ]);
    await expect(settings.item('Memory')).toHaveAccessibleDescription(`${vm.memoryStartupMB} MB`);
    await expect(settings.item('Processor')).toHaveAccessibleDescription('1 Virtual processor');
    await expect(settings.item('Security')).toHaveAccessibleDescription('Secure Boot enabled');
    const diskFile = vm.hardDrives[0]?.path.split('/').pop() ?? '';
    await expect(settings.item('Hard Drive')).toHaveAccessibleDescription(diskFile);
  });

  test('the left list is one tab stop; the arrows, Home and End move through it', async ({
    manager,
    settings,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.item('Memory').focus();
    await settings.page.keyboard.press('ArrowDown');
    await expect(settings.item('Processor')).toBeFocused();
    await expect(settings.item('Processor')).toHaveAttribute('aria-selected', 'true');
    await settings.page.keyboard.press('Home');
    await expect(settings.item('Add Hardware')).toBeFocused();
    await settings.page.keyboard.press('End');
    await expect(settings.item('Guest (simulation)')).toBeFocused();
    // Tab leaves the list for the page: only one item is a tab stop.
    await settings.page.keyboard.press('Tab');
    await expect(settings.item('Name')).not.toBeFocused();
    await expect(settings.dialog.locator('[role="tab"]:focus')).toHaveCount(0);
  });

  test('Security: Secure Boot off and the TPM on are kept; the summary follows', async ({
    manager,
    settings,
    api,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openPage('Security');
    await expect(settings.checkbox('Enable Shielding')).toBeDisabled();
    await settings.checkbox('Enable Secure Boot').uncheck();
    await settings.checkbox('Enable Trusted Platform Module').check();
    await expect(settings.item('Security')).toHaveAccessibleDescription('Secure Boot disabled');
    await settings.ok();
    await expect
      .poll(async () => {
        const after = await api.getVm(vm.id);
        return [after.firmware?.secureBootEnabled, after.security?.tpmEnabled];
      })
      .toEqual([false, true]);
  });

  test('Firmware: Move Up / Move Down order the boot entries', async ({
    manager,
    settings,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openPage('Firmware');
    const list = settings.panel.getByRole('listbox', { name: 'Boot order' });
    await expect(list.getByRole('option')).toHaveCount(vm.hardDrives.length);
    await expect(settings.panel.getByRole('button', { name: 'Move Up' })).toBeDisabled();
  });

  test("a checkpoint's Settings... is the Settings dialog as of the checkpoint, read-only", async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    await api.createCheckpoint(vm.id, 'Before memory');
    await api.updateVm(vm.id, { memoryStartupMB: vm.memoryStartupMB * 2 });
    await manager.selectVm(vm.name);
    await checkpoints.choose('Before memory', 'Settings...');
    const host = await api.host();
    const frozen = SettingsDialog.forTitle(
      manager.page,
      `Settings for Before memory on ${host.name}`,
    );
    await expect(frozen.item('Memory')).toHaveAccessibleDescription(`${vm.memoryStartupMB} MB`);
    await expect(frozen.panel.getByRole('spinbutton', { name: 'Startup RAM:' })).toBeDisabled();
    await frozen.openPage('Security');
    await expect(frozen.checkbox('Enable Secure Boot')).toBeDisabled();
    await expect(frozen.button('Cancel')).toHaveCount(0);
    await expect(frozen.button('Apply')).toHaveCount(0);
    await frozen.ok();
  });
});
