import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';

const PRODUCTION_TEXT =
  "Production checkpoints use backup technology in the guest to create data-consistent checkpoints that don't include information about running applications.";
const STANDARD_TEXT =
  'Standard checkpoints capture the state, data, and hardware configuration of a running virtual machine and are intended for development and test scenarios.';
const LOCATION_LOCKED_TEXT =
  'The checkpoint file location cannot be changed because the virtual machine has checkpoints.';

test.describe('Settings → Management → Checkpoints', () => {
  test('the page: Enable checkpoints, Production or Standard with their texts, the fallback box only for Production', async ({
    manager,
    settings,
    api,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();

    await expect(settings.enableCheckpoints).toBeChecked();
    await expect(settings.production).toBeChecked();
    await expect(settings.production).toHaveAccessibleDescription(PRODUCTION_TEXT);
    await expect(settings.standard).not.toBeChecked();
    await expect(settings.standard).toHaveAccessibleDescription(STANDARD_TEXT);
    await expect(settings.fallbackToStandard).toBeChecked();
    await expect(settings.fallbackToStandard).toBeEnabled();
    await expect(settings.automaticCheckpoints).not.toBeChecked();
    await expect(settings.location).toHaveValue(vm.snapshotFileLocation);
    await expect(settings.location).toBeEditable();
    await expect(settings.browse).toBeEnabled();

    await settings.standard.check();
    await expect(settings.fallbackToStandard).toBeDisabled();
    await settings.production.check();
    await expect(settings.fallbackToStandard).toBeEnabled();

    // Cleared, nothing on the page can be changed but the box itself.
    await settings.enableCheckpoints.uncheck();
    for (const control of [
      settings.production,
      settings.standard,
      settings.fallbackToStandard,
      settings.automaticCheckpoints,
      settings.browse,
    ]) {
      await expect(control).toBeDisabled();
    }
    await expect(settings.button('Apply')).toBeEnabled();
    await settings.cancel();
    expect((await api.getVm(vm.id)).checkpointType).toBe('Production');
  });

  test('Apply saves and stays open, Cancel drops what was not applied, OK saves and closes', async ({
    manager,
    settings,
    api,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();
    await expect(settings.button('Apply')).toBeDisabled();

    await settings.standard.check();
    await settings.automaticCheckpoints.check();
    await settings.apply();
    // Apply is greyed out as soon as it is pressed; the server has the change a moment later.
    await expect
      .poll(async () => {
        const { checkpointType, automaticCheckpointsEnabled } = await api.getVm(vm.id);
        return { checkpointType, automaticCheckpointsEnabled };
      })
      .toEqual({ checkpointType: 'Standard', automaticCheckpointsEnabled: true });
    await expect(settings.standard).toBeChecked();

    await settings.production.check();
    await settings.automaticCheckpoints.uncheck();
    await expect(settings.button('Apply')).toBeEnabled();
    await settings.cancel();
    const saved = await api.getVm(vm.id);
    expect(saved.checkpointType).toBe('Standard');
    expect(saved.automaticCheckpointsEnabled).toBe(true);
    await expect(manager.details).toContainText('Checkpoint type:Standard');

    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();
    await expect(settings.standard).toBeChecked();
    await expect(settings.automaticCheckpoints).toBeChecked();
    await settings.production.check();
    await settings.fallbackToStandard.uncheck();
    await settings.ok();
    expect((await api.getVm(vm.id)).checkpointType).toBe('ProductionOnly');
    await expect(manager.details).toContainText('Checkpoint type:ProductionOnly');
  });

  test('Checkpoint File Location: Browse... picks a folder while there are no checkpoints, then it is read-only and says why', async ({
    manager,
    settings,
    api,
    vm,
  }) => {
    const folder = `Checkpoints/${vm.name}`;
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();
    await settings.browse.click();
    const picker = manager.dialog('Select Folder');
    await expect(picker.getByRole('radio', { name: 'Snapshots' })).toBeChecked();
    await picker.getByRole('textbox', { name: 'Folder:' }).fill(folder);
    await picker.getByRole('button', { name: 'Select Folder' }).click();
    await expect(picker).toBeHidden();
    await expect(settings.location).toHaveValue(folder);
    await settings.ok();
    // Kept under the data folder, shown to an Administrator by its full path.
    const { dataLocation } = await api.host();
    expect((await api.getVm(vm.id)).snapshotFileLocation).toBe(`${dataLocation}/${folder}`);

    await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
    // The VM is Off under Production: its checkpoint is a Production one, which Hyper-V Manager
    // reports with its "Production checkpoint created" message.
    await new MessageBox(manager.page, 'Production checkpoint created').press('OK');
    await expect(manager.nowMarker).toBeVisible();
    expect((await api.getVm(vm.id)).checkpointCount).toBe(1);

    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await settings.openCheckpointsPage();
    await expect(settings.location).toHaveValue(`${dataLocation}/${folder}`);
    await expect(settings.location).not.toBeEditable();
    await expect(settings.location).toHaveAccessibleDescription(LOCATION_LOCKED_TEXT);
    await expect(settings.browse).toBeDisabled();
    await expect(settings.dialog).toContainText(LOCATION_LOCKED_TEXT);
    await settings.cancel();
  });
});
