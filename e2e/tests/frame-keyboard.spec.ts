import { test, expect } from '../fixtures.js';
import { MenuBar } from '../pages/MenuBar.js';
import { MessageBox } from '../pages/MessageBox.js';

/**
 * The checkpoint workflow with the keyboard only (issue 16, "The frame"): reach the list with
 * Tab, pick the VM by typing its name, then Checkpoint, Rename (F2), Apply and Delete through the
 * menu bar (Alt + letter, arrows, Enter) and the tree's keys; the focus stays where the next key
 * needs it after every step.
 */
test.describe('keyboard only', () => {
  test.use({ vmSetup: { checkpointType: 'Standard' } });

  test('create, rename with F2, apply and delete a checkpoint', async ({
    manager,
    page,
    api,
    vm,
  }) => {
    const menuBar = new MenuBar(page);
    const row = manager.vmRow(vm.name);
    await expect(row).toBeVisible();

    // Tab until a row of the Virtual Machines list has the focus (bounded), then type-ahead.
    for (let i = 0; i < 20; i++) {
      const inList = (await page.locator('[data-vm-row]:focus-within').count()) > 0;
      if (inList) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type(vm.name);
    await expect(row).toBeFocused();
    await expect(row).toHaveAttribute('aria-selected', 'true');

    // Action > Checkpoint.
    await menuBar.chooseByKeyboard('Action', 'Checkpoint');
    await expect.poll(() => api.checkpointNames(vm.id)).toHaveLength(1);
    await expect(row).toBeFocused();
    const [created] = await api.checkpointNames(vm.id);
    if (!created) throw new Error('no checkpoint');

    // Tab into the Checkpoints tree (its tab stop is Now), Up to the checkpoint.
    await page.keyboard.press('Tab');
    await expect(manager.nowMarker).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(manager.checkpoint(created)).toBeFocused();

    // F2: rename in place; Enter commits and the tree item has the focus again.
    await page.keyboard.press('F2');
    const box = manager.checkpointsTree.getByRole('textbox', { name: 'Checkpoint name' });
    await expect(box).toBeFocused();
    await page.keyboard.type('Before update');
    await page.keyboard.press('Enter');
    await expect(manager.checkpoint('Before update')).toBeFocused();
    await expect.poll(() => api.checkpointNames(vm.id)).toEqual(['Before update']);

    // F2 then Esc: nothing changes, the focus is back on the item.
    await page.keyboard.press('F2');
    await expect(box).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(manager.checkpoint('Before update')).toBeFocused();

    // Action > Apply...: the question; Tab to Apply, Enter.
    await menuBar.chooseByKeyboard('Action', 'Apply...');
    const apply = new MessageBox(page, 'Apply Checkpoint');
    await expect(apply.button('Take Checkpoint and Apply')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(apply.button('Apply')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(apply.dialog).toBeHidden();
    await expect(manager.checkpoint('Before update')).toBeFocused();
    expect(await api.checkpointNames(vm.id)).toEqual(['Before update']);

    // Delete: the confirmation, Enter on Delete.
    await page.keyboard.press('Delete');
    const confirm = new MessageBox(page, 'Delete Checkpoint');
    await expect(confirm.dialog).toContainText('Before update');
    await expect(confirm.button('Delete')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(confirm.dialog).toBeHidden();
    await expect.poll(() => api.checkpointNames(vm.id)).toEqual([]);
    await expect(manager.noCheckpoints).toBeVisible();
    await manager.expectVmState(vm.name, 'Off');
  });

  test('F10 and Alt reach the menu bar; Esc closes the menu, then gives the focus back', async ({
    manager,
    page,
    vm,
  }) => {
    const menuBar = new MenuBar(page);
    const row = manager.vmRow(vm.name);
    await manager.selectVm(vm.name);
    await expect(row).toBeFocused();

    await page.keyboard.press('F10');
    await expect(menuBar.entry('File')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(menuBar.entry('Action')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(menuBar.item('Action', 'Connect...')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(menuBar.item('View', 'Add/Remove Columns...')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menuBar.menu('View')).toBeHidden();
    await expect(menuBar.entry('View')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(row).toBeFocused();

    await page.keyboard.press('Alt');
    await expect(menuBar.entry('File')).toBeFocused();
    await page.keyboard.press('Alt');
    await expect(row).toBeFocused();
  });
});
