import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';

const GUEST = 'ubuntu-22.04-postgres';

test.describe('Virtual Machine Connection', () => {
  test('opens by double-click and by Enter, two windows side by side beside the main window', async ({
    manager,
    api,
    vm,
    uniqueName,
    page,
  }) => {
    const second = await api.createVm(uniqueName('vc'));
    try {
      await page.reload();
      await manager.vmRow(vm.name).dblclick();
      const first = new VmConnectionWindow(page, vm.name);
      await expect(first.window).toBeVisible();
      await expect(first.status).toHaveText('Status: Off');

      await manager.vmRow(second.name).focus();
      await page.keyboard.press('Enter');
      const other = new VmConnectionWindow(page, second.name);
      await expect(other.window).toBeVisible();
      await expect(first.window).toBeVisible();

      // Windows move by their title bar; not modal: the main window still answers.
      const before = await other.window.boundingBox();
      await other.moveBy(300, 120);
      const after = await other.window.boundingBox();
      expect(after?.x).toBeCloseTo((before?.x ?? 0) + 300, 0);
      expect(after?.y).toBeCloseTo((before?.y ?? 0) + 120, 0);
      await manager.actions.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect(first.window).toBeVisible();
      // Esc does not close a window; its close button does.
      await other.screen.focus();
      await page.keyboard.press('Escape');
      await expect(other.window).toBeVisible();
      await other.close();
      await first.choose('File', 'Exit');
      await expect(first.window).toBeHidden();
    } finally {
      await api.deleteVm(second.id);
    }
  });

  test.describe('an Off VM with a guest', () => {
    test.use({ vmSetup: { guestImage: GUEST } });

    test('says it is turned off; Start starts it and the screen shows the console', async ({
      manager,
      api,
      vm,
      page,
    }) => {
      await manager.vmRow(vm.name).dblclick();
      const connection = new VmConnectionWindow(page, vm.name);
      await expect(connection.screen).toContainText(
        `The virtual machine '${vm.name}' is turned off.`,
      );
      await connection.startButton.click();
      await connection.waitUntilRunning();
      await expect(connection.status).toHaveText('Status: Running');
      await expect(connection.consoleOutput).not.toBeEmpty();
      expect(await api.stateOf(vm.id)).toBe('Running');
      await connection.close();
    });
  });

  test.describe('a running VM with Standard checkpoints', () => {
    test.use({ vmSetup: { guestImage: GUEST, running: true, checkpointType: 'Standard' } });

    test('Ctrl+N takes a checkpoint; Ctrl+E asks, reverts, and Start resumes the in-flight work', async ({
      manager,
      api,
      vm,
      page,
    }) => {
      await manager.vmRow(vm.name).dblclick();
      const connection = new VmConnectionWindow(page, vm.name);
      await connection.waitUntilRunning();

      await connection.screen.press('Control+N');
      await expect.poll(async () => (await api.checkpoints(vm.id)).checkpoints.length).toBe(1);
      const [checkpoint] = (await api.checkpoints(vm.id)).checkpoints;
      expect(checkpoint?.kind).toBe('Standard');

      await connection.screen.press('Control+E');
      const revert = new MessageBox(page, 'Revert Virtual Machine');
      await expect(revert.dialog).toBeVisible();
      await revert.press('Revert');
      // A Standard checkpoint of a running VM holds its memory: the VM comes back Saved.
      await expect(connection.screen).toContainText(`The virtual machine '${vm.name}' is saved.`);
      expect(await api.stateOf(vm.id)).toBe('Saved');

      await connection.startButton.click();
      await connection.waitUntilRunning();
      await expect(connection.boot).toContainText('Resumed from saved state');
      await connection.close();
    });
  });

  test.describe('a running VM with Production checkpoints', () => {
    test.use({ vmSetup: { guestImage: GUEST, running: true, checkpointType: 'ProductionOnly' } });

    test('after Revert to a Production checkpoint the VM is off and boots clean', async ({
      manager,
      api,
      vm,
      page,
    }) => {
      await manager.vmRow(vm.name).dblclick();
      const connection = new VmConnectionWindow(page, vm.name);
      await connection.waitUntilRunning();

      await connection.choose('Action', 'Checkpoint');
      await new MessageBox(page, 'Production checkpoint created').press('OK');
      await expect.poll(async () => (await api.checkpoints(vm.id)).checkpoints.length).toBe(1);

      await connection.screen.press('Control+E');
      await new MessageBox(page, 'Revert Virtual Machine').press('Revert');
      await expect(connection.screen).toContainText(
        `The virtual machine '${vm.name}' is turned off.`,
      );
      await connection.screen.press('Control+S');
      await connection.waitUntilRunning();
      await expect(connection.boot).not.toContainText('Resumed from saved state');
      await connection.close();
    });
  });
});
