import type { Task } from '@hvm/engine';
import { test, expect } from '../fixtures.js';
import type { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { MessageBox } from '../pages/MessageBox.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';
import { ENABLED_WHEN, VM_MENU, expectActionButtons } from '../pages/vmCommands.js';

/** Right-click the VM, check what the menu offers in `state`, choose `item`. */
async function chooseInState(
  manager: HyperVManagerPage,
  name: string,
  state: keyof typeof ENABLED_WHEN,
  item: string,
): Promise<void> {
  await manager.openVmContextMenu(name);
  const menu = manager.contextMenu(name);
  await menu.expectItems(VM_MENU, ENABLED_WHEN[state]);
  await menu.choose(item);
}

test.describe('the VM context menu and the VM section of the Actions pane', () => {
  test('an Off VM offers Connect..., Settings..., Start, Checkpoint, Export..., Rename..., Delete... and Help, in the menu and the Actions pane', async ({
    manager,
    settings,
    vm,
  }) => {
    await manager.selectVm(vm.name);
    await expect(manager.vmCell(vm.name, 'State')).toHaveText('Off');
    await expectActionButtons(manager.actionSection(vm.name), VM_MENU, ENABLED_WHEN.Off);

    await chooseInState(manager, vm.name, 'Off', 'Settings...');
    await expect(settings.dialog).toBeVisible();
    await settings.cancel();

    await manager.chooseFromVmContextMenu(vm.name, 'Help');
    const help = new MessageBox(manager.page, 'Hyper-V Manager Help');
    await expect(help.dialog).toContainText('A checkpoint captures a virtual machine');
    await help.press('OK');

    await manager.actionButton(vm.name, 'Help').click();
    await help.press('OK');
  });

  test('Start, Pause, Resume, Save, Start, Reset and Turn Off... change the state on screen and on the server', async ({
    manager,
    api,
    vm,
  }) => {
    await manager.selectVm(vm.name);

    await chooseInState(manager, vm.name, 'Off', 'Start');
    await manager.expectVmState(vm.name, 'Running');
    expect(await api.stateOf(vm.id)).toBe('Running');
    await expectActionButtons(manager.actionSection(vm.name), VM_MENU, ENABLED_WHEN.Running);

    await chooseInState(manager, vm.name, 'Running', 'Pause');
    await manager.expectVmState(vm.name, 'Paused');
    expect(await api.stateOf(vm.id)).toBe('Paused');

    // The same command from the Actions pane.
    await expectActionButtons(manager.actionSection(vm.name), VM_MENU, ENABLED_WHEN.Paused);
    await manager.actionButton(vm.name, 'Resume').click();
    await manager.expectVmState(vm.name, 'Running');
    expect(await api.stateOf(vm.id)).toBe('Running');

    await chooseInState(manager, vm.name, 'Running', 'Save');
    await manager.expectVmState(vm.name, 'Saved');
    expect(await api.stateOf(vm.id)).toBe('Saved');

    await chooseInState(manager, vm.name, 'Saved', 'Start');
    await manager.expectVmState(vm.name, 'Running');
    expect(await api.stateOf(vm.id)).toBe('Running');

    // Reset asks first (ResetVmDialog); Reset in the box resets.
    await chooseInState(manager, vm.name, 'Running', 'Reset');
    await new MessageBox(manager.page, 'Reset Machine').press('Reset');
    await manager.expectVmState(vm.name, 'Running');
    expect(await api.stateOf(vm.id)).toBe('Running');

    await chooseInState(manager, vm.name, 'Running', 'Turn Off...');
    const turnOff = new MessageBox(manager.page, 'Turn Off Machine');
    await expect(turnOff.dialog).toContainText(
      `Do you want to turn off ${vm.name}? If you turn off the virtual machine, any unsaved data in it will be lost.`,
    );
    await turnOff.cancel();
    await expect(manager.vmCell(vm.name, 'State')).toHaveText('Running');
    await manager.actionButton(vm.name, 'Turn Off...').click();
    await turnOff.press('Turn Off');
    await manager.expectVmState(vm.name, 'Off');
    expect(await api.stateOf(vm.id)).toBe('Off');
  });

  test.describe('with a guest operating system', () => {
    test.use({ vmSetup: { guestImage: 'ubuntu-22.04-postgres', running: true } });

    test('Connect... shows the guest console, Shut Down... asks and shuts the guest down', async ({
      manager,
      api,
      vm,
    }) => {
      await manager.expectVmState(vm.name, 'Running');
      await chooseInState(manager, vm.name, 'Running', 'Connect...');
      const connection = new VmConnectionWindow(manager.page, vm.name);
      await connection.waitUntilRunning();
      await connection.close();

      await manager.chooseFromVmContextMenu(vm.name, 'Shut Down...');
      const shutDown = new MessageBox(manager.page, 'Shut Down Machine');
      await expect(shutDown.dialog).toContainText(`Are you sure you want to shut down ${vm.name}?`);
      await shutDown.press('Shut Down');
      await manager.expectVmState(vm.name, 'Off');
      expect(await api.stateOf(vm.id)).toBe('Off');
    });

    test('Export... of a running VM exports it live: the VM keeps running and its disk is written', async ({
      manager,
      api,
      vm,
      request,
    }) => {
      await manager.expectVmState(vm.name, 'Running');
      await manager.chooseFromVmContextMenu(vm.name, 'Export...');
      const dialog = manager.dialog('Export Virtual Machine');
      const folder = `Exports/${vm.name}-live`;
      await dialog.getByRole('textbox', { name: 'Export location' }).fill(folder);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect
        .poll(
          async () =>
            (await api.tasks()).find(
              (t: Task) => t.vmId === vm.id && t.name === 'Exporting virtual machine',
            )?.status,
          { timeout: 60_000 },
        )
        .toBe('Completed');
      // Behaviour spec §8.3: a running VM exports live and is not stopped for it.
      expect(await api.stateOf(vm.id)).toBe('Running');
      await manager.expectVmState(vm.name, 'Running');
      const disks = (await (await request.get('/api/v1/disks')).json()) as { path: string }[];
      expect(disks.some((d) => d.path.includes(`${folder}/${vm.name}/Virtual Hard Disks/`))).toBe(
        true,
      );
    });
  });

  test.describe('with Standard checkpoints', () => {
    test.use({ vmSetup: { checkpointType: 'Standard' } });

    test('Checkpoint, then Revert...: Cancel keeps Now, Revert goes back, Take Checkpoint and Revert keeps Now as a checkpoint', async ({
      manager,
      api,
      vm,
    }) => {
      await manager.selectVm(vm.name);
      await chooseInState(manager, vm.name, 'Off', 'Checkpoint');
      const first = manager.checkpointsTree.getByRole('treeitem', {
        name: new RegExp(`^${vm.name} - \\(`),
      });
      await expect(first).toBeVisible();
      const tree = await api.checkpoints(vm.id);
      expect(tree.checkpoints).toHaveLength(1);

      // Now drifts away from the checkpoint: more startup memory.
      await api.updateVm(vm.id, { memoryStartupMB: 2048 });
      await manager.page.getByRole('tab', { name: 'Memory' }).click();
      await expect(manager.details).toContainText('Startup Memory:2048 MB');

      await manager.openVmContextMenu(vm.name);
      await manager.contextMenu(vm.name).expectItems(VM_MENU, [...ENABLED_WHEN.Off, 'Revert...']);
      await manager.contextMenu(vm.name).choose('Revert...');
      const revert = new MessageBox(manager.page, 'Revert Virtual Machine');
      await expect(revert.dialog).toContainText(
        'Are you sure you want to revert the virtual machine to its previous checkpoint?',
      );
      await expect(revert.button('Take Checkpoint and Revert')).toBeFocused();
      await revert.cancel();
      expect((await api.getVm(vm.id)).memoryStartupMB).toBe(2048);

      await manager.chooseFromVmContextMenu(vm.name, 'Revert...');
      await revert.press('Revert');
      await expect(manager.details).toContainText('Startup Memory:1024 MB');
      expect((await api.getVm(vm.id)).memoryStartupMB).toBe(1024);
      expect((await api.checkpoints(vm.id)).checkpoints).toHaveLength(1);

      await api.updateVm(vm.id, { memoryStartupMB: 4096 });
      await expect(manager.details).toContainText('Startup Memory:4096 MB');
      await manager.actionButton(vm.name, 'Revert...').click();
      await revert.press('Take Checkpoint and Revert');
      await expect(manager.checkpointsTree.getByRole('treeitem')).toHaveCount(3);
      await expect(manager.details).toContainText('Startup Memory:1024 MB');
      const after = await api.checkpoints(vm.id);
      expect(after.checkpoints).toHaveLength(2);
      expect(after.now.parentId).toBe(tree.checkpoints[0]?.id);
    });
  });

  test('Export... writes the VM as it is now into the chosen folder', async ({
    manager,
    api,
    vm,
    request,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Export...');
    const dialog = manager.dialog('Export Virtual Machine');
    await expect(dialog).toContainText(`Export ${vm.name} as it is now`);
    const folder = `Exports/${vm.name}`;
    await dialog.getByRole('textbox', { name: 'Export location' }).fill(folder);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog).toBeHidden();

    await expect
      .poll(async () => {
        const tasks = await api.tasks();
        return tasks.find((t: Task) => t.vmId === vm.id && t.name === 'Exporting virtual machine')
          ?.status;
      })
      .toBe('Completed');
    await expect(manager.vmCell(vm.name, 'Status')).toHaveText('Operating normally');
    const disks = (await (await request.get('/api/v1/disks')).json()) as { path: string }[];
    // An Administrator sees full paths on the host, under its data folder.
    const { dataLocation } = await api.host();
    expect(disks.map((d) => d.path)).toContain(
      `${dataLocation}/${folder}/${vm.name}/Virtual Hard Disks/${vm.name}.vhdx`,
    );
  });

  test('Rename... edits the name in place: Esc cancels, 101 characters are refused, Enter commits', async ({
    manager,
    api,
    vm,
  }) => {
    const box = manager.vmList.getByRole('textbox', { name: 'Virtual machine name' });
    await manager.chooseFromVmContextMenu(vm.name, 'Rename...');
    await expect(box).toBeFocused();
    await box.fill('not kept');
    await box.press('Escape');
    await expect(box).toBeHidden();
    await expect(manager.vmRow(vm.name)).toBeVisible();
    expect((await api.getVm(vm.id)).name).toBe(vm.name);

    await manager.chooseFromVmContextMenu(vm.name, 'Rename...');
    await box.fill('x'.repeat(101));
    await box.press('Enter');
    await expect(manager.vmList.getByRole('alert')).toHaveText(
      'The virtual machine name cannot be longer than 100 characters.',
    );
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    expect((await api.getVm(vm.id)).name).toBe(vm.name);

    const renamed = `${vm.name}-renamed`;
    await box.fill(renamed);
    await box.press('Enter');
    await expect(box).toBeHidden();
    await expect(manager.vmRow(renamed)).toBeVisible();
    await expect(manager.vmRow(vm.name)).toHaveCount(0);
    expect((await api.getVm(vm.id)).name).toBe(renamed);
  });

  test('Delete... asks first: Cancel keeps the VM, Delete removes it from the list and the server', async ({
    manager,
    api,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Delete...');
    const confirm = new MessageBox(manager.page, 'Delete Selected Virtual Machines');
    await expect(confirm.dialog).toContainText(
      `Are you sure you want to delete ${vm.name}? Deleting a virtual machine deletes its configuration file, but does not delete any virtual hard disks. If the virtual machine has any checkpoints, these are deleted and merged into the virtual hard disk files after the virtual machine is deleted.`,
    );
    await confirm.cancel();
    await expect(manager.vmRow(vm.name)).toBeVisible();
    expect(await api.stateOf(vm.id)).toBe('Off');

    await manager.chooseFromVmContextMenu(vm.name, 'Delete...');
    await confirm.press('Delete');
    await expect(manager.vmRow(vm.name)).toHaveCount(0);
    expect(await api.stateOf(vm.id)).toBeNull();
  });
});
