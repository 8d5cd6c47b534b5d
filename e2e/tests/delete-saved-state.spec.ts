import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';
import { ENABLED_WHEN, VM_MENU, expectActionButtons } from '../pages/vmCommands.js';

/**
 * Delete Saved State... (Hyper-V Manager's command for a Saved VM, behaviour spec §8.3 note; the
 * engine's Remove-VMSavedState): it asks first, Cancel keeps the saved state, Delete turns the VM
 * Off on screen and on the server.
 */
test.describe('Delete Saved State...', () => {
  test('a Saved VM offers it in the menu and the Actions pane; it asks first, then the VM is Off', async ({
    manager,
    api,
    vm,
  }) => {
    await api.action(vm.id, 'start');
    await api.action(vm.id, 'save');
    await manager.selectVm(vm.name);
    await manager.expectVmState(vm.name, 'Saved');
    await expectActionButtons(manager.actionSection(vm.name), VM_MENU, ENABLED_WHEN.Saved);

    await manager.openVmContextMenu(vm.name);
    const menu = manager.contextMenu(vm.name);
    await menu.expectItems(VM_MENU, ENABLED_WHEN.Saved);
    await menu.choose('Delete Saved State...');
    const box = new MessageBox(manager.page, 'Delete Saved State');
    await expect(box.dialog).toContainText(`Do you want to delete the saved state of`);
    await expect(box.dialog).toContainText(vm.name);
    await box.cancel();
    await expect(manager.vmCell(vm.name, 'State')).toHaveText('Saved');
    expect(await api.stateOf(vm.id)).toBe('Saved');

    await manager.actionButton(vm.name, 'Delete Saved State...').click();
    await box.press('Delete');
    await manager.expectVmState(vm.name, 'Off');
    expect(await api.stateOf(vm.id)).toBe('Off');
    await expectActionButtons(manager.actionSection(vm.name), VM_MENU, ENABLED_WHEN.Off);
  });
});
