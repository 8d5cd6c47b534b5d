import { test, expect } from '../fixtures.js';
import { ExportDialog } from '../pages/DiskDialogs.js';
import { MessageBox } from '../pages/MessageBox.js';

const CHECKPOINT_FAILED =
  'An error occurred while attempting to checkpoint the selected virtual machine(s).';

test.describe("error displays: a summary line and the server's own detail", () => {
  test.describe('on a running VM without an operating system', () => {
    test.use({ vmSetup: { running: true } });

    test('Shut Down... cannot reach a guest: the dialog says so and the VM keeps running', async ({
      manager,
      api,
      vm,
    }) => {
      await manager.chooseFromVmContextMenu(vm.name, 'Shut Down...');
      const shutDown = new MessageBox(manager.page, 'Shut Down Machine');
      await shutDown.button('Shut Down').click();
      await expect(shutDown.errorSummary).toContainText(
        'The virtual machine could not be shut down.',
      );
      await expect(shutDown.errorSummary).toContainText(
        `Cannot shut down '${vm.name}': no operating system is running in the virtual machine to answer the request. Use Turn Off instead.`,
      );
      await expect(shutDown.errorSummary).not.toContainText('INVALID_STATE');
      await shutDown.cancel();
      await expect(manager.vmCell(vm.name, 'State')).toHaveText('Running');
      expect(await api.stateOf(vm.id)).toBe('Running');
    });
  });

  test('an action in the wrong state: Delete after the VM was started elsewhere is refused', async ({
    manager,
    api,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Delete...');
    const confirm = new MessageBox(manager.page, 'Delete Selected Virtual Machines');
    await expect(confirm.dialog).toBeVisible();
    await api.action(vm.id, 'start');
    await expect(manager.vmCell(vm.name, 'State')).toHaveText('Running');

    await confirm.button('Delete').click();
    await expect(confirm.errorSummary).toContainText('The virtual machine could not be deleted.');
    await expect(confirm.errorSummary).toContainText(
      'The operation cannot be performed while the virtual machine is in its current state.',
    );
    await expect(confirm.errorSummary).not.toContainText('INVALID_STATE');
    // The Delete button was greyed while it worked; Esc still closes the box.
    await manager.page.keyboard.press('Escape');
    await expect(confirm.dialog).toBeHidden();
    await expect(manager.vmRow(vm.name)).toBeVisible();
    expect(await api.stateOf(vm.id)).toBe('Running');
  });

  test.describe('with Standard checkpoints', () => {
    test.use({ vmSetup: { checkpointType: 'Standard' } });

    test('a 51st checkpoint is refused with the limit', async ({ manager, api, vm }) => {
      test.setTimeout(120_000);
      for (let i = 1; i <= 50; i++) await api.createCheckpoint(vm.id, `Checkpoint ${i}`);
      await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
      const error = new MessageBox(manager.page, 'Hyper-V Manager');
      await expect(error.dialog).toContainText(CHECKPOINT_FAILED);
      await expect(error.dialog).toContainText(
        `Checkpoint operation failed. '${vm.name}' already has the maximum of 50 checkpoints.`,
      );
      await error.press('OK');
      await expect(manager.checkpoint('Checkpoint 50')).toBeVisible();
      expect((await api.checkpoints(vm.id)).checkpoints).toHaveLength(50);
    });

    test('a name conflict: exporting a checkpoint into a folder that already holds its export', async ({
      manager,
      checkpoints,
      api,
      vm,
    }) => {
      await api.createCheckpoint(vm.id, 'To export');
      await manager.selectVm(vm.name);
      const folder = `Exports/${vm.name}-twice`;
      await checkpoints.choose('To export', 'Export...');
      const exportDialog = new ExportDialog(manager.page);
      await exportDialog.exportTo(folder);
      await expect
        .poll(
          async () =>
            (await api.tasks()).find(
              (t) => t.vmId === vm.id && t.name === 'Exporting virtual machine',
            )?.status,
        )
        .toBe('Completed');

      await checkpoints.choose('To export', 'Export...');
      await exportDialog.location.fill(folder);
      await exportDialog.dialog.getByRole('button', { name: 'Export', exact: true }).click();
      const summary = exportDialog.dialog.getByRole('alert');
      await expect(summary).toContainText('The virtual machine could not be exported.');
      await expect(summary).toContainText(
        `Failed to export virtual machine '${vm.name}': the folder '${folder}/${vm.name}' already exists and is not empty.`,
      );
      await expect(summary).not.toContainText('NAME_CONFLICT');
      await manager.page.keyboard.press('Escape');
      await expect(exportDialog.dialog).toBeHidden();
    });
  });

  test('renaming a VM to the name of another is allowed: two rows of that name, each its own VM (R36)', async ({
    manager,
    api,
    vm,
    uniqueName,
  }) => {
    const other = await api.createVm(uniqueName('taken'));
    try {
      await manager.chooseFromVmContextMenu(vm.name, 'Rename...');
      const box = manager.vmList.getByRole('textbox', { name: 'Virtual machine name' });
      await box.fill(other.name);
      await box.press('Enter');
      await expect(box).toBeHidden();
      await expect(manager.vmList.getByRole('alert')).toHaveCount(0);
      await expect.poll(async () => (await api.getVm(vm.id)).name).toBe(other.name);
      await expect(
        manager.vmList.locator('[data-vm-row]').filter({ hasText: other.name }),
      ).toHaveCount(2);
    } finally {
      await api.deleteVm(other.id);
    }
  });

  test.describe('with checkpoints disabled', () => {
    test.use({ vmSetup: { checkpointType: 'Disabled' } });

    test('Checkpoint says that checkpoints are disabled for the VM', async ({
      manager,
      api,
      vm,
    }) => {
      await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
      const error = new MessageBox(manager.page, 'Hyper-V Manager');
      await expect(error.dialog).toContainText(CHECKPOINT_FAILED);
      await expect(error.dialog).toContainText(
        `Checkpoints have been disabled for '${vm.name}'. (Virtual machine ID ${vm.id.toUpperCase()}).`,
      );
      await manager.page.keyboard.press('Escape');
      await expect(error.dialog).toBeHidden();
      expect((await api.checkpoints(vm.id)).checkpoints).toEqual([]);
    });
  });
});
