import { expect } from '@playwright/test';
import type { Demo } from './demoContext.js';

const VM = 'WEB-UBUNTU-01';

/** Demo 3: without the guest's Backup service, Production falls back and ProductionOnly fails. */
export const productionFallback: Demo = {
  name: 'production-fallback',
  title: 'Fallback: no Backup service in the guest',
  summary:
    'A production checkpoint needs the Backup (volume shadow copy) integration service. Without it, Production falls back to a Standard checkpoint and says why; ProductionOnly fails.',
  async run(demo) {
    const { manager, page } = demo;
    await manager.selectVm(VM);
    await manager.chooseFromVmContextMenu(VM, 'Settings...');
    const dialog = page.getByRole('dialog', { name: `Settings for ${VM}` });
    await dialog.getByRole('tab', { name: 'Integration Services' }).click();
    const backup = dialog.getByRole('checkbox', { name: 'Backup (volume shadow copy)' });
    await backup.uncheck();
    await demo.step(
      'Settings: Backup service off',
      `Settings for ${VM} → Integration Services: clear "Backup (volume shadow copy)". The host no longer offers VSS to the guest, so the guest cannot prepare its disks for a checkpoint.`,
    );
    await dialog.getByRole('tab', { name: 'Checkpoints' }).click();
    const production = dialog.getByRole('radio', { name: 'Production checkpoints' });
    const fallback = dialog.getByRole('checkbox', {
      name: "Create standard checkpoints if it's not possible to create a production checkpoint",
    });
    await expect(production).toBeChecked();
    await expect(fallback).toBeChecked();
    await demo.step(
      'Settings: Production with fallback',
      'On the Checkpoints page the type is Production with the fallback box checked: the default of a new VM.',
    );
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(dialog).toBeHidden();
    const vm = await demo.vm(VM);
    await expect
      .poll(async () => (await demo.api.vm(vm.id)).integrationServices.backup)
      .toBe(false);

    const countBefore = (await demo.api.checkpoints(vm.id)).checkpoints.length;
    await manager.chooseFromVmContextMenu(VM, 'Checkpoint');
    const notice = page.getByRole('status').filter({ hasText: 'fell back to Standard' });
    await expect(notice).toBeVisible({ timeout: 30_000 });
    const tree = await demo.api.checkpoints(vm.id);
    expect(tree.checkpoints).toHaveLength(countBefore + 1);
    const created = tree.checkpoints.find((c) => c.id === tree.now.parentId);
    if (!created) throw new Error('Now does not hang under the new checkpoint');
    expect(created.kind).toBe('Standard');
    await expect(manager.checkpoint(created.name)).toBeVisible();
    await demo.waitUntilIdle(VM);
    await demo.step(
      'Checkpoint: fell back to Standard',
      `Right-click → Checkpoint. No "Production checkpoint created" message this time: the status bar says why, "${created.note ?? ''}". The new checkpoint's badge says Standard; it holds the memory of the running VM.`,
    );

    const settings = await demo.openCheckpointSettings(VM);
    await settings.fallbackToStandard.uncheck();
    await demo.step(
      'Settings: ProductionOnly',
      'Settings... → Checkpoints again: clear the fallback box. The type is now ProductionOnly.',
    );
    await settings.ok();
    await expect.poll(async () => (await demo.api.vm(vm.id)).checkpointType).toBe('ProductionOnly');

    await manager.chooseFromVmContextMenu(VM, 'Checkpoint');
    const error = page.getByRole('dialog', { name: 'Hyper-V Manager' });
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText('An error occurred while attempting to checkpoint');
    const message = (await error.locator('.message-text').innerText()).replace(/\s+/g, ' ').trim();
    expect((await demo.api.checkpoints(vm.id)).checkpoints).toHaveLength(countBefore + 1);
    await demo.step(
      'Checkpoint: ProductionOnly fails',
      `Right-click → Checkpoint fails with Hyper-V's error: "${message}" No checkpoint was taken: ProductionOnly never saves memory in place of a production checkpoint.`,
    );
    await error.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(error).toBeHidden();
  },
};
