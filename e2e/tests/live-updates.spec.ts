import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures.js';
import { CheckpointCommands } from '../pages/CheckpointCommands.js';
import { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { MessageBox } from '../pages/MessageBox.js';
import { SettingsDialog } from '../pages/SettingsDialog.js';

/** Marks the loaded page, so that a test can tell it was never reloaded. */
async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate('window.loadedOnce = true');
  return () => page.evaluate<boolean>('window.loadedOnce === true');
}

test.describe('live updates', () => {
  test.use({ vmSetup: { checkpointType: 'Standard' } });

  test('what one tab does shows in the other without a reload: checkpoint, rename, start, settings, delete', async ({
    manager,
    otherTab,
    checkpoints,
    api,
    vm,
  }) => {
    const otherCheckpoints = new CheckpointCommands(otherTab);
    await manager.selectVm(vm.name);
    await otherTab.selectVm(vm.name);
    const notReloaded = await markPage(otherTab.page);
    const firstNotReloaded = await markPage(manager.page);

    await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
    const created = otherTab.checkpointsTree.getByRole('treeitem', {
      name: new RegExp(`^${vm.name} - \\(`),
    });
    await expect(created).toBeVisible();
    const [checkpoint] = (await api.checkpoints(vm.id)).checkpoints;
    expect(checkpoint).toBeDefined();
    await expect(otherTab.vmCell(vm.name, 'State')).toHaveText('Off');

    await otherCheckpoints.rename(checkpoint?.name ?? '', 'Renamed in the other tab');
    await expect(manager.checkpoint('Renamed in the other tab')).toBeVisible();
    expect(await api.checkpointNames(vm.id)).toEqual(['Renamed in the other tab']);

    await manager.actionButton(vm.name, 'Start').click();
    await otherTab.expectVmState(vm.name, 'Running');
    expect(await api.stateOf(vm.id)).toBe('Running');

    await otherTab.chooseFromVmContextMenu(vm.name, 'Settings...');
    const settings = new SettingsDialog(otherTab.page, vm.name);
    await settings.openCheckpointsPage();
    await settings.enableCheckpoints.uncheck();
    await settings.ok();
    await expect(manager.details).toContainText('Checkpoint type:Disabled');
    expect((await api.getVm(vm.id)).checkpointType).toBe('Disabled');

    await checkpoints.choose('Renamed in the other tab', 'Delete Checkpoint...');
    await new MessageBox(manager.page, 'Delete Checkpoint').press('Delete');
    await expect(otherTab.noCheckpoints).toBeVisible();
    await expect(otherTab.vmCell(vm.name, 'Status')).toHaveText('Operating normally');
    expect(await api.checkpointNames(vm.id)).toEqual([]);

    expect(await notReloaded()).toBe(true);
    expect(await firstNotReloaded()).toBe(true);
  });

  test('what the API does shows on screen without a reload: new VM, start, checkpoint, rename, delete', async ({
    manager,
    api,
    vm,
    uniqueName,
  }) => {
    await manager.selectVm(vm.name);
    const notReloaded = await markPage(manager.page);

    const other = await api.createVm(uniqueName('api'));
    try {
      await expect(manager.vmRow(other.name)).toBeVisible();
      await expect(manager.vmCell(other.name, 'State')).toHaveText('Off');

      await api.action(vm.id, 'start');
      await manager.expectVmState(vm.name, 'Running');
      await expect(manager.actionButton(vm.name, 'Start')).toBeDisabled();
      await expect(manager.actionButton(vm.name, 'Turn Off...')).toBeEnabled();

      const checkpoint = await api.createCheckpoint(vm.id, 'From the API');
      await expect(manager.checkpoint('From the API')).toBeVisible();
      await expect(
        manager.checkpoint('From the API').getByRole('treeitem', { name: 'Now' }),
      ).toBeVisible();
      await expect(manager.actionButton(vm.name, 'Revert...')).toBeEnabled();

      await api.renameCheckpoint(vm.id, checkpoint, 'Renamed by the API');
      await expect(manager.checkpoint('Renamed by the API')).toBeVisible();
      await expect(manager.checkpoint('From the API')).toHaveCount(0);

      await api.updateVm(other.id, { name: `${other.name}-renamed` });
      await expect(manager.vmRow(`${other.name}-renamed`)).toBeVisible();

      await api.deleteVm(other.id);
      await expect(manager.vmRow(`${other.name}-renamed`)).toHaveCount(0);

      await api.deleteCheckpoint(vm.id, checkpoint);
      await expect(manager.noCheckpoints).toBeVisible();
      await expect(manager.vmCell(vm.name, 'Status')).toHaveText('Operating normally');
      expect(await notReloaded()).toBe(true);
    } finally {
      await api.deleteVm(other.id);
    }
  });

  test('a VM created after the list was read but before the event stream was connected still appears', async ({
    page,
    api,
    vm,
    uniqueName,
  }) => {
    // The stream is held until the VM exists: its event reaches no one, as when the browser
    // connects the stream a moment after the list's answer (the keyboard test's flaky new VM).
    let connectStream = (): void => undefined;
    const streamHeld = new Promise<void>((resolve) => (connectStream = resolve));
    await page.route('**/api/v1/events', async (route) => {
      await streamHeld;
      await route.continue();
    });
    const manager = new HyperVManagerPage(page);
    await manager.goto();
    await expect(manager.vmRow(vm.name)).toBeVisible();
    const late = await api.createVm(uniqueName('late'));
    try {
      connectStream();
      await expect(manager.vmRow(late.name)).toBeVisible();
    } finally {
      await api.deleteVm(late.id);
    }
  });
});
