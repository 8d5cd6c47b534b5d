import { test, expect } from '../fixtures.js';
import { SettingsDialog } from '../pages/SettingsDialog.js';

test.describe('checkpoints from the browser', () => {
  test('right-click a VM and choose Checkpoint: the checkpoint appears in the tree and in the API', async ({
    manager,
    api,
    vm,
  }) => {
    await expect(manager.vmRow(vm.name)).toBeVisible();
    await manager.selectVm(vm.name);
    await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');

    const expectedName = new RegExp(
      `^${vm.name} - \\(\\d{1,2}/\\d{1,2}/\\d{4} - \\d{1,2}:\\d{2}:\\d{2} (AM|PM)\\)$`,
    );
    await expect(
      manager.checkpointsTree.getByRole('treeitem', { name: expectedName }),
    ).toBeVisible();
    await expect(manager.nowMarker).toBeVisible();

    const tree = await api.checkpoints(vm.id);
    expect(tree.checkpoints).toHaveLength(1);
    expect(tree.checkpoints[0]?.name).toMatch(expectedName);
    expect(tree.now.parentId).toBe(tree.checkpoints[0]?.id);
  });

  test('Settings → Checkpoints: clearing the fallback box saves ProductionOnly, Standard saves Standard', async ({
    manager,
    api,
    vm,
    page,
  }) => {
    await manager.selectVm(vm.name);
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    const settings = new SettingsDialog(page, vm.name);
    await settings.openCheckpointsPage();

    await expect(settings.enableCheckpoints).toBeChecked();
    await expect(settings.production).toBeChecked();
    await expect(settings.fallbackToStandard).toBeChecked();
    await settings.fallbackToStandard.uncheck();
    await settings.ok();
    await expect.poll(async () => (await api.getVm(vm.id)).checkpointType).toBe('ProductionOnly');

    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();
    await expect(settings.fallbackToStandard).not.toBeChecked();
    await settings.standard.check();
    await expect(settings.fallbackToStandard).toBeDisabled();
    await settings.ok();
    await expect.poll(async () => (await api.getVm(vm.id)).checkpointType).toBe('Standard');

    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();
    await settings.enableCheckpoints.uncheck();
    await settings.ok();
    await expect.poll(async () => (await api.getVm(vm.id)).checkpointType).toBe('Disabled');
  });

  test('checkpoints and settings survive a server restart', async ({
    manager,
    api,
    vm,
    server,
    page,
  }) => {
    await api.setCheckpointType(vm.id, 'Standard');
    const checkpoint = await api.createCheckpoint(vm.id, 'Before restart');

    await server.restart();

    const after = await api.getVm(vm.id);
    expect(after.checkpointType).toBe('Standard');
    const tree = await api.checkpoints(vm.id);
    expect(tree.checkpoints.map((c) => c.id)).toEqual([checkpoint.id]);

    await page.reload();
    await manager.selectVm(vm.name);
    await expect(manager.checkpoint('Before restart')).toBeVisible();
  });
});
