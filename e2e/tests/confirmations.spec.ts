import type { Page } from '@playwright/test';
import type { VmId } from '@hvm/engine';
import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';

/**
 * Records every text the VM's Status cell shows from now on, however briefly (the page's own
 * MutationObserver, so that a short merge cannot slip between two polls).
 */
async function recordStatusTexts(page: Page, vmId: VmId): Promise<() => Promise<string[]>> {
  await page.evaluate(`(() => {
    const seen = [];
    window.statusTexts = seen;
    const read = () => {
      const row = document.querySelector('[data-vm-row="${vmId}"]');
      const text = row?.querySelectorAll('td')[5]?.textContent ?? '';
      if (seen.at(-1) !== text) seen.push(text);
    };
    read();
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  })()`);
  return () => page.evaluate<string[]>('window.statusTexts');
}

test.describe('Delete Checkpoint and Delete Checkpoint Subtree confirmations', () => {
  test.use({ vmSetup: { checkpointType: 'Standard' } });

  test('deleting the checkpoint Now derives from says its disk is merged into Now and how much is freed; Cancel keeps it', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    await api.createCheckpoint(vm.id, 'Base');
    await manager.selectVm(vm.name);
    const size =
      (await manager.checkpoint('Base').locator('.checkpoint-size').first().textContent()) ?? '';
    expect(size).not.toBe('');

    await checkpoints.choose('Base', 'Delete Checkpoint...');
    const confirm = new MessageBox(manager.page, 'Delete Checkpoint');
    await expect(confirm.dialog).toContainText(
      'Are you sure you want to delete the checkpoint Base?',
    );
    await expect(confirm.dialog).toContainText(
      `The checkpoint's differencing disk (${size}) will be merged into the current state (Now). The merge runs in the background; up to ${size} is freed when it finishes.`,
    );
    await expect(confirm.button('Delete')).toBeFocused();
    await confirm.cancel();
    expect(await api.checkpointNames(vm.id)).toEqual(['Base']);

    await checkpoints.choose('Base', 'Delete Checkpoint...');
    await confirm.press('Delete');
    await expect(manager.checkpoint('Base')).toHaveCount(0);
    await expect(manager.noCheckpoints).toBeVisible();
    await manager.expectVmState(vm.name, 'Off');
    expect(await api.checkpointNames(vm.id)).toEqual([]);
  });

  test('a checkpoint nothing depends on is removed and frees its size; one with two children keeps its disk', async ({
    manager,
    checkpoints,
    api,
    vm,
  }) => {
    const base = await api.createCheckpoint(vm.id, 'Base');
    await api.createCheckpoint(vm.id, 'Leaf');
    await api.applyCheckpoint(vm.id, base);
    await manager.selectVm(vm.name);
    await expect(manager.checkpoint('Base').getByRole('treeitem', { name: 'Now' })).toBeVisible();
    const size = (await manager.checkpoint('Leaf').locator('.checkpoint-size').textContent()) ?? '';

    await checkpoints.choose('Leaf', 'Delete Checkpoint...');
    const confirm = new MessageBox(manager.page, 'Delete Checkpoint');
    await expect(confirm.dialog).toContainText(
      `The checkpoint's differencing disk (${size}) will be removed, freeing ${size}.`,
    );
    await confirm.press('Delete');
    await expect(manager.checkpoint('Leaf')).toHaveCount(0);
    expect(await api.checkpointNames(vm.id)).toEqual(['Base']);

    await api.createCheckpoint(vm.id, 'Second');
    await api.applyCheckpoint(vm.id, base);
    await expect(manager.checkpoint('Second')).toBeVisible();
    await checkpoints.choose('Base', 'Delete Checkpoint...');
    await expect(confirm.dialog).toContainText(
      "is kept, because its 2 children (including Now) depend on it; only the checkpoint's configuration and saved state are removed.",
    );
    await confirm.cancel();
    expect(await api.checkpointNames(vm.id)).toEqual(['Base', 'Second']);
  });

  test.describe('with a guest writing to its disks', () => {
    test.use({
      vmSetup: { guestImage: 'ubuntu-22.04-postgres', running: true, checkpointType: 'Standard' },
    });

    test('Delete Checkpoint Subtree says what is merged and freed, then "Merging disks (n%)" runs to the end without a reload', async ({
      manager,
      checkpoints,
      api,
      vm,
    }) => {
      for (const name of ['One', 'Two', 'Three', 'Four', 'Five', 'Six']) {
        await api.createCheckpoint(vm.id, name);
      }
      await manager.selectVm(vm.name);
      await expect(manager.checkpoint('Six').getByRole('treeitem', { name: 'Now' })).toBeVisible();

      await checkpoints.choose('One', 'Delete Checkpoint Subtree...');
      const confirm = new MessageBox(manager.page, 'Delete Checkpoint');
      await expect(confirm.dialog).toContainText(
        'Are you sure you want to delete the checkpoint One and all of its child checkpoints?',
      );
      await expect(confirm.dialog).toContainText(
        /6 checkpoints will be deleted \(.+\)\. The differencing disks the current state \(Now\) depends on \(.+\) will be merged into Now; the others are removed, freeing .+\./,
      );
      const statusTexts = await recordStatusTexts(manager.page, vm.id);
      await confirm.press('Delete');

      await expect
        .poll(statusTexts)
        .toContainEqual(expect.stringMatching(/^Merging disks \(\d{1,2}%\)$/));
      await expect(manager.vmCell(vm.name, 'Status')).toHaveText('Operating normally');
      await expect(manager.checkpointsTree.getByRole('treeitem')).toHaveCount(0);
      await expect(manager.noCheckpoints).toBeVisible();
      expect(await api.checkpointNames(vm.id)).toEqual([]);
      const merge = (await api.tasks()).filter(
        (t) => t.vmId === vm.id && t.name === 'Merging disks',
      );
      expect(merge.map((t) => t.status)).toEqual(['Completed']);
      expect((await api.getVm(vm.id)).state).toBe('Running');
    });
  });
});
