import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';

test.describe('the keyboard', () => {
  test('in the Virtual Machines list: arrows move, Shift+F10 and the menu key open the menu, Enter connects, F2 renames, Del asks before deleting', async ({
    manager,
    api,
    vm,
    uniqueName,
    page,
  }) => {
    const second = await api.createVm(uniqueName('vz'));
    try {
      const rowA = manager.vmRow(vm.name);
      const rowB = manager.vmRow(second.name);
      await expect(rowB).toBeVisible();
      await manager.selectVm(vm.name);
      await expect(rowA).toBeFocused();

      await page.keyboard.press('ArrowDown');
      await expect(rowB).toBeFocused();
      await expect(rowB).toHaveAttribute('aria-selected', 'true');
      await expect(manager.actionSection(second.name)).toBeVisible();
      await page.keyboard.press('ArrowUp');
      await expect(rowA).toBeFocused();
      await expect(rowA).toHaveAttribute('aria-selected', 'true');
      await expect(rowB).toHaveAttribute('aria-selected', 'false');

      // Shift+F10: the menu, on its first item; Esc gives the focus back to the row.
      await page.keyboard.press('Shift+F10');
      const menu = manager.contextMenu(vm.name);
      await expect(menu.item('Connect...')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(menu.menu).toBeHidden();
      await expect(rowA).toBeFocused();

      // The menu key, then arrows and Enter: Start.
      await page.keyboard.press('ContextMenu');
      await expect(menu.item('Connect...')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(menu.item('Start')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(menu.menu).toBeHidden();
      await manager.expectVmState(vm.name, 'Running');
      expect(await api.stateOf(vm.id)).toBe('Running');

      // Enter on a running VM: its Virtual Machine Connection window, which Esc does not close
      // (it is a window, not a dialog); its close button does, and the row has the focus again.
      await rowA.focus();
      await page.keyboard.press('Enter');
      const connection = new VmConnectionWindow(page, vm.name);
      await expect(connection.window).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(connection.window).toBeVisible();
      await connection.close();
      await expect(rowA).toBeFocused();

      // Del on a running VM says why it cannot be deleted.
      await page.keyboard.press('Delete');
      const refused = new MessageBox(page, 'Hyper-V Manager');
      await expect(refused.dialog).toContainText(
        `'${vm.name}' cannot be deleted while it is running.`,
      );
      await page.keyboard.press('Escape');
      await expect(refused.dialog).toBeHidden();

      // F2: rename in place; Enter commits.
      await page.keyboard.press('F2');
      const box = manager.vmList.getByRole('textbox', { name: 'Virtual machine name' });
      await expect(box).toBeFocused();
      const renamed = `${vm.name}-k`;
      await page.keyboard.type('-k');
      await expect(box).toHaveValue('-k');
      await box.fill(renamed);
      await page.keyboard.press('Enter');
      await expect(manager.vmRow(renamed)).toBeFocused();
      expect((await api.getVm(vm.id)).name).toBe(renamed);

      // Del on the Off VM: the confirmation; Esc keeps it, Enter (on Delete) deletes it.
      await page.keyboard.press('ArrowDown');
      await expect(rowB).toBeFocused();
      await page.keyboard.press('Delete');
      const confirm = new MessageBox(page, 'Delete Selected Virtual Machines');
      await expect(confirm.button('Delete')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(confirm.dialog).toBeHidden();
      expect(await api.stateOf(second.id)).toBe('Off');
      await rowB.focus();
      await page.keyboard.press('Delete');
      await expect(confirm.button('Delete')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(rowB).toHaveCount(0);
      expect(await api.stateOf(second.id)).toBeNull();
    } finally {
      await api.deleteVm(second.id);
    }
  });

  test.describe('in the Checkpoints tree', () => {
    test.use({ vmSetup: { checkpointType: 'Standard' } });

    test('arrows, Home, End and Left/Right walk and fold the tree; Enter opens Settings, Shift+F10 and the menu key the menu, F2 renames, Del and Shift+Del ask first', async ({
      manager,
      checkpoints,
      api,
      vm,
      page,
    }) => {
      const a = await api.createCheckpoint(vm.id, 'A');
      const b = await api.createCheckpoint(vm.id, 'B');
      await api.applyCheckpoint(vm.id, a);
      await api.createCheckpoint(vm.id, 'C');
      await manager.selectVm(vm.name);
      const [itemA, itemB, itemC, now] = [
        manager.checkpoint('A'),
        manager.checkpoint('B'),
        manager.checkpoint('C'),
        manager.nowMarker,
      ];
      await expect(itemC.getByRole('treeitem', { name: 'Now' })).toBeVisible();

      await checkpoints.select('A');
      await expect(itemA).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await expect(itemB).toBeFocused();
      await expect(itemB).toHaveAttribute('aria-selected', 'true');
      await expect(manager.actionSection('B')).toBeVisible();
      await page.keyboard.press('ArrowDown');
      await expect(itemC).toBeFocused();
      await page.keyboard.press('End');
      await expect(now).toBeFocused();
      await page.keyboard.press('Home');
      await expect(itemA).toBeFocused();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await expect(itemC).toBeFocused();
      await page.keyboard.press('ArrowLeft');
      await expect(itemC).toHaveAttribute('aria-expanded', 'false');
      await expect(now).toBeHidden();
      await page.keyboard.press('ArrowRight');
      await expect(itemC).toHaveAttribute('aria-expanded', 'true');
      await page.keyboard.press('ArrowRight');
      await expect(now).toBeFocused();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await expect(itemB).toBeFocused();

      // Enter: the checkpoint's Settings; Esc closes them and the focus comes back.
      await page.keyboard.press('Enter');
      const settings = manager.dialog(`Settings for B on ${(await api.host()).name}`);
      await expect(settings).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(settings).toBeHidden();
      await expect(itemB).toBeFocused();

      await page.keyboard.press('Shift+F10');
      const menu = manager.contextMenu('B');
      await expect(menu.item('Settings...')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(menu.menu).toBeHidden();
      await expect(itemB).toBeFocused();
      await page.keyboard.press('ContextMenu');
      await expect(menu.menu).toBeVisible();
      await page.keyboard.press('End');
      await expect(menu.item('Help')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(itemB).toBeFocused();

      await page.keyboard.press('F2');
      await expect(checkpoints.renameBox).toBeFocused();
      await page.keyboard.type('B renamed');
      await page.keyboard.press('Enter');
      const renamed = manager.checkpoint('B renamed');
      await expect(renamed).toBeVisible();
      expect((await api.checkpoints(vm.id)).checkpoints.find((c) => c.id === b.id)?.name).toBe(
        'B renamed',
      );

      await renamed.focus();
      await page.keyboard.press('Delete');
      const confirm = new MessageBox(page, 'Delete Checkpoint');
      await expect(confirm.dialog).toContainText(
        'Are you sure you want to delete the checkpoint B renamed?',
      );
      await page.keyboard.press('Escape');
      await expect(confirm.dialog).toBeHidden();
      expect(await api.checkpointNames(vm.id)).toEqual(['A', 'B renamed', 'C']);
      await renamed.focus();
      await page.keyboard.press('Delete');
      await expect(confirm.button('Delete')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(renamed).toHaveCount(0);
      expect(await api.checkpointNames(vm.id)).toEqual(['A', 'C']);

      await itemA.focus();
      await page.keyboard.press('Shift+Delete');
      await expect(confirm.dialog).toContainText(
        'Are you sure you want to delete the checkpoint A and all of its child checkpoints?',
      );
      await page.keyboard.press('Escape');
      await expect(confirm.dialog).toBeHidden();
      expect(await api.checkpointNames(vm.id)).toEqual(['A', 'C']);
    });
  });
});
