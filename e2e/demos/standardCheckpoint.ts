import { expect } from '@playwright/test';
import type { Demo } from './demoContext.js';

const VM = 'SQL-PROD-01';
const NAME = 'StandardCheckpoint';

/** Demo 1: a Standard checkpoint keeps the memory; applying it brings the running guest back. */
export const standardCheckpoint: Demo = {
  name: 'standard-checkpoint',
  title: 'Standard checkpoint: the VM comes back exactly as it was',
  summary:
    'A Standard checkpoint saves disks, memory and device state. Applying it returns the VM to that instant, transactions in flight included.',
  async run(demo) {
    const { manager, checkpoints, page } = demo;
    await manager.selectVm(VM);
    await demo.step(
      'The demo host',
      `Hyper-V Manager on the freshly reset demo host. ${VM} runs SQL Server 2016 and already has one production checkpoint, "Before index rebuild".`,
    );

    let connection = await demo.connect(VM);
    const before = await demo.guest(VM);
    await demo.step(
      'The guest at work',
      `Connect... opens Virtual Machine Connection. SQL Server commits transactions every second; ${before.committedTransactions} are committed and ${before.inFlightTransactions.length} are in flight (begun, in memory only, not yet committed).`,
    );
    await connection.close();

    const settings = await demo.openCheckpointSettings(VM);
    await settings.standard.check();
    await expect(settings.fallbackToStandard).toBeDisabled();
    await demo.step(
      'Settings: Standard checkpoints',
      'Settings... → Management → Checkpoints: choose "Standard checkpoints". They capture the state, data and hardware configuration of the running VM: memory included, intended for development and test.',
    );
    await settings.ok();
    const vm = await demo.vm(VM);
    await expect.poll(async () => (await demo.api.vm(vm.id)).checkpointType).toBe('Standard');

    const menu = await manager.openVmContextMenu(VM);
    await menu.getByRole('menuitem', { name: 'Checkpoint', exact: true }).hover();
    await demo.step(
      'Right-click → Checkpoint',
      `Right-click ${VM} in the Virtual Machines list and choose Checkpoint.`,
    );
    const countBefore = (await demo.api.checkpoints(vm.id)).checkpoints.length;
    const atClick = await demo.guest(VM);
    await menu.getByRole('menuitem', { name: 'Checkpoint', exact: true }).click();
    await expect
      .poll(async () => (await demo.api.checkpoints(vm.id)).checkpoints.length)
      .toBe(countBefore + 1);
    const tree = await demo.api.checkpoints(vm.id);
    const created = tree.checkpoints.find((c) => c.id === tree.now.parentId);
    if (!created) throw new Error('Now does not hang under the new checkpoint');
    await expect(manager.checkpoint(created.name)).toBeVisible();
    await demo.waitUntilIdle(VM);
    await checkpoints.rename(created.name, NAME);
    const checkpoint = await demo.api.checkpointByName(vm.id, NAME);
    expect(checkpoint.kind).toBe('Standard');
    expect(checkpoint.hasSavedState).toBe(true);
    await checkpoints.label(NAME).click();
    await demo.step(
      `Checkpoint "${NAME}"`,
      `A Standard checkpoint appears in the tree with "Now" under it; renamed to ${NAME} (Rename...). It holds memory and device state (${checkpoint.consistency ?? 'no consistency check'}): the console read ${atClick.committedTransactions} committed, ${atClick.inFlightTransactions.length} in flight when we clicked.`,
    );

    connection = await demo.connect(VM);
    await demo.letWorkloadRun(8);
    const later = await demo.guest(VM);
    expect(later.committedTransactions).toBeGreaterThan(atClick.committedTransactions);
    await expect(connection.guestConsole).toContainText(String(later.committedTransactions));
    await demo.step(
      'The workload goes on',
      `The guest keeps working after the checkpoint: ${later.committedTransactions} transactions are committed now. All of this is written to Now's differencing disk (.avhdx), not to the checkpoint.`,
    );
    await connection.close();

    await checkpoints.choose(NAME, 'Apply...');
    await expect(checkpoints.applyDialog).toBeVisible();
    await demo.step(
      'Apply...',
      `Right-click ${NAME} → Apply... Hyper-V asks whether to take a checkpoint of the current state first; we choose Apply: the current state is discarded.`,
    );
    await checkpoints.applyDialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(checkpoints.applyDialog).toBeHidden();
    await demo.waitForState(VM, 'Saved');
    await demo.waitUntilIdle(VM);
    await demo.step(
      'Applied: the VM is Saved',
      `The VM is Saved, not Off: the checkpoint held its memory, so applying it restores a saved state, as if the VM had been suspended at the moment of the checkpoint.`,
    );

    await demo.start(VM);
    connection = await demo.connect(VM);
    await expect(connection.boot).toContainText('Resumed from saved state');
    const resumed = await demo.guest(VM);
    expect(resumed.boot?.kind).toBe('resumed');
    await demo.step(
      'Start: resumed, in-flight transactions included',
      `${resumed.boot?.message ?? ''} No boot, no recovery: the guest continues from the checkpoint's instant (it had reached ${later.committedTransactions} committed since, all gone), and the transactions that were in flight at the checkpoint go on to commit.`,
    );
    await connection.close();
    await page.keyboard.press('Escape');
  },
};
