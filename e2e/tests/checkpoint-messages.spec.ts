import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';

const PRODUCTION_CREATED = 'Production checkpoint created';

test.describe('what Checkpoint tells you', () => {
  test.describe('ProductionOnly on a VM that is off', () => {
    test.use({ vmSetup: { checkpointType: 'ProductionOnly' } });

    test('"Production checkpoint created" shows until "Don\'t show this message again" is ticked, and stays hidden after a reload', async ({
      manager,
      api,
      vm,
      page,
    }) => {
      const message = new MessageBox(page, PRODUCTION_CREATED);
      const dontShow = message.dialog.getByRole('checkbox', {
        name: "Don't show this message again",
      });
      await manager.selectVm(vm.name);

      await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
      await expect(message.dialog).toContainText(/^.*Production checkpoint .+ was created\./);
      await expect(message.dialog).toContainText(
        'When you apply a production checkpoint the virtual machine will be off.',
      );
      await expect(dontShow).not.toBeChecked();
      await message.press('OK');
      let tree = await api.checkpoints(vm.id);
      expect(tree.checkpoints.map((c) => c.kind)).toEqual(['Production']);

      await manager.actionButton(vm.name, 'Checkpoint').click();
      await expect(message.dialog).toBeVisible();
      await dontShow.check();
      await message.press('OK');
      tree = await api.checkpoints(vm.id);
      expect(tree.checkpoints.map((c) => c.kind)).toEqual(['Production', 'Production']);

      await page.reload();
      await manager.selectVm(vm.name);
      await expect(manager.checkpointsTree.getByRole('treeitem')).toHaveCount(3);
      await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
      // The same answer that would bring the message also writes the line in the status bar.
      const third = manager.statusBar.getByText(/^Checkpoint ".+": the virtual machine is off/);
      await expect(third).toBeVisible();
      await expect(manager.checkpointsTree.getByRole('treeitem')).toHaveCount(4);
      await expect(message.dialog).toHaveCount(0);
      tree = await api.checkpoints(vm.id);
      expect(tree.checkpoints.map((c) => c.kind)).toEqual([
        'Production',
        'Production',
        'Production',
      ]);
    });
  });

  test.describe('Production on a running VM without an operating system', () => {
    test.use({ vmSetup: { running: true } });

    test('falls back to Standard and says why in the status bar', async ({ manager, api, vm }) => {
      await manager.selectVm(vm.name);
      await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
      await expect(manager.statusBar).toContainText(
        /Checkpoint ".+": fell back to Standard: no operating system is running in the guest/,
      );
      await expect(manager.checkpointsTree.locator('.kind-badge')).toHaveText(['Standard']);
      await expect(manager.dialog(PRODUCTION_CREATED)).toHaveCount(0);
      const [checkpoint] = (await api.checkpoints(vm.id)).checkpoints;
      expect(checkpoint?.kind).toBe('Standard');
      expect(checkpoint?.note).toBe(
        'fell back to Standard: no operating system is running in the guest',
      );
      await manager.statusBar.getByRole('button', { name: 'Dismiss' }).click();
      await expect(manager.statusBar).toBeEmpty();
    });
  });

  test.describe('ProductionOnly on a running VM without an operating system', () => {
    test.use({ vmSetup: { running: true, checkpointType: 'ProductionOnly' } });

    test("fails with the summary line and the server's reason, and makes no checkpoint", async ({
      manager,
      api,
      vm,
    }) => {
      await manager.selectVm(vm.name);
      await manager.chooseFromVmContextMenu(vm.name, 'Checkpoint');
      const error = new MessageBox(manager.page, 'Hyper-V Manager');
      await expect(error.dialog).toContainText(
        'An error occurred while attempting to checkpoint the selected virtual machine(s).',
      );
      await expect(error.dialog).toContainText(
        `Could not create a production checkpoint for '${vm.name}': no operating system is running in the guest. (Virtual machine ID ${vm.id.toUpperCase()})`,
      );
      await error.press('OK');
      await expect(manager.noCheckpoints).toBeVisible();
      expect((await api.checkpoints(vm.id)).checkpoints).toEqual([]);
      expect(await api.stateOf(vm.id)).toBe('Running');
    });
  });
});
