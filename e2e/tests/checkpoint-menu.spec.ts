import { test, expect } from '../fixtures.js';
import { CHECKPOINT_MENU } from '../pages/CheckpointCommands.js';
import { MessageBox } from '../pages/MessageBox.js';
import { expectActionButtons } from '../pages/vmCommands.js';

test.describe('the checkpoint context menu and the checkpoint section of the Actions pane', () => {
  test.use({ vmSetup: { checkpointType: 'Standard' } });

  test('every command is offered for a checkpoint of a stable VM, in the menu and the Actions pane; Help opens the help', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    await api.createCheckpoint(vm.id, 'Base');
    await manager.selectVm(vm.name);
    const menu = await checkpoints.openContextMenu('Base');
    await menu.expectItems(CHECKPOINT_MENU, CHECKPOINT_MENU);
    await menu.close();
    await expect(manager.checkpoint('Base')).toBeFocused();

    await checkpoints.select('Base');
    await expectActionButtons(manager.actionSection('Base'), CHECKPOINT_MENU, CHECKPOINT_MENU);

    await checkpoints.choose('Base', 'Help');
    const help = new MessageBox(manager.page, 'Hyper-V Manager Help');
    await expect(help.dialog).toContainText('Delete Checkpoint merges');
    await help.press('OK');
  });

  test('a Recovery checkpoint (taken by backup software) cannot be applied', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    const recovery = await api.createRecoveryCheckpoint(vm.id);
    expect(recovery.kind).toBe('Recovery');
    await manager.selectVm(vm.name);
    const menu = await checkpoints.openContextMenu(recovery.name);
    await menu.expectItems(
      CHECKPOINT_MENU,
      CHECKPOINT_MENU.filter((c) => c !== 'Apply...'),
    );
    await menu.close();
    await checkpoints.select(recovery.name);
    await expect(manager.actionButton(recovery.name, 'Apply...')).toBeDisabled();
  });

  test('Settings... shows the settings the checkpoint holds, read-only', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    await api.createCheckpoint(vm.id, 'Before update');
    await manager.selectVm(vm.name);
    await checkpoints.choose('Before update', 'Settings...');
    // The VM's Settings dialog as of the checkpoint, read-only (settings-pages.spec.ts has more).
    const dialog = manager.dialog(`Settings for Before update on ${(await api.host()).name}`);
    await expect(dialog.getByRole('tab', { name: 'Memory' })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
  });

  test('Apply...: Cancel changes nothing, Apply discards Now, Take Checkpoint and Apply keeps Now as a checkpoint', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    const base = await api.createCheckpoint(vm.id, 'Base');
    const second = await api.createCheckpoint(vm.id, 'Second');
    await api.updateVm(vm.id, { memoryStartupMB: 2048 });
    await manager.selectVm(vm.name);
    await expect(manager.checkpoint('Second').getByRole('treeitem', { name: 'Now' })).toBeVisible();

    await checkpoints.choose('Base', 'Apply...');
    const apply = new MessageBox(manager.page, 'Apply Checkpoint');
    await expect(apply.dialog).toContainText(
      'Are you sure you want to apply the selected checkpoint? Your current virtual machine state will be lost.',
    );
    await expect(apply.button('Take Checkpoint and Apply')).toBeFocused();
    await expect(apply.button('Apply')).toBeVisible();
    await apply.cancel();
    expect((await api.checkpoints(vm.id)).now.parentId).toBe(second.id);

    await checkpoints.choose('Base', 'Apply...');
    await apply.press('Apply');
    await expect(manager.checkpoint('Base').getByRole('treeitem', { name: 'Now' })).toHaveCount(1);
    await expect(manager.checkpoint('Second').getByRole('treeitem', { name: 'Now' })).toHaveCount(
      0,
    );
    let tree = await api.checkpoints(vm.id);
    expect(tree.now.parentId).toBe(base.id);
    expect(tree.checkpoints).toHaveLength(2);
    expect((await api.getVm(vm.id)).memoryStartupMB).toBe(1024);

    // From the Actions pane this time.
    await checkpoints.select('Second');
    await manager.actionButton('Second', 'Apply...').click();
    await apply.press('Take Checkpoint and Apply');
    await expect(manager.checkpointsTree.getByRole('treeitem')).toHaveCount(4);
    await expect(manager.checkpoint('Second').getByRole('treeitem', { name: 'Now' })).toHaveCount(
      1,
    );
    tree = await api.checkpoints(vm.id);
    expect(tree.now.parentId).toBe(second.id);
    expect(tree.checkpoints).toHaveLength(3);
    const kept = tree.checkpoints.find((c) => c.id !== base.id && c.id !== second.id);
    expect(kept?.parentId).toBe(base.id);
    await expect(manager.checkpoint(kept?.name ?? '')).toBeVisible();
  });

  test('Rename... edits the name in place: Esc cancels, 101 characters are refused, 100 are kept, Enter commits', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    const checkpoint = await api.createCheckpoint(vm.id, 'Old name');
    await manager.selectVm(vm.name);
    const box = checkpoints.renameBox;

    await checkpoints.choose('Old name', 'Rename...');
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('Old name');
    await box.fill('Not kept');
    await box.press('Escape');
    await expect(box).toBeHidden();
    await expect(manager.checkpoint('Old name')).toBeVisible();
    expect(await api.checkpointNames(vm.id)).toEqual(['Old name']);

    await checkpoints.choose('Old name', 'Rename...');
    await box.fill('y'.repeat(101));
    await box.press('Enter');
    await expect(manager.checkpointsTree.getByRole('alert')).toHaveText(
      'The checkpoint name cannot be longer than 100 characters.',
    );
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(await api.checkpointNames(vm.id)).toEqual(['Old name']);

    const longest = `${'z'.repeat(95)} done`;
    await box.fill(longest);
    await box.press('Enter');
    await expect(box).toBeHidden();
    await expect(manager.checkpoint(longest)).toBeVisible();
    expect(await api.checkpointNames(vm.id)).toEqual([longest]);

    await checkpoints.rename(longest, 'After rename');
    const renamed = await api.checkpoints(vm.id);
    expect(renamed.checkpoints.map((c) => [c.id, c.name])).toEqual([
      [checkpoint.id, 'After rename'],
    ]);
  });
});
