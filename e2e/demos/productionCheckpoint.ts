import { expect } from '@playwright/test';
import type { Demo } from './demoContext.js';

const VM = 'SQL-PROD-01';
const NAME = 'ProductionCheckpoint';

/** Demo 2: a ProductionOnly checkpoint is a VSS backup image; applying it leaves the VM Off. */
export const productionCheckpoint: Demo = {
  name: 'production-checkpoint',
  title: 'Production checkpoint: a clean boot with committed data only',
  summary:
    'A Production checkpoint asks the guest to flush its data through VSS and saves no memory. Applying it leaves the VM Off; it boots cleanly with what was committed.',
  async run(demo) {
    const { manager, checkpoints, page } = demo;
    await manager.selectVm(VM);
    let connection = await demo.connect(VM);
    const before = await demo.guest(VM);
    await demo.step(
      'The guest at work',
      `${VM} runs SQL Server 2016. Virtual Machine Connection shows ${before.committedTransactions} committed transactions and ${before.inFlightTransactions.length} in flight, i.e. begun and held in memory only.`,
    );
    await connection.close();

    const settings = await demo.openCheckpointSettings(VM);
    await expect(settings.production).toBeChecked();
    await settings.fallbackToStandard.uncheck();
    await demo.step(
      'Settings: Production, no fallback',
      'Settings... → Checkpoints: "Production checkpoints" is chosen; clearing "Create standard checkpoints if it\'s not possible to create a production checkpoint" makes the type ProductionOnly: fail rather than fall back.',
    );
    await settings.ok();
    const vm = await demo.vm(VM);
    await expect.poll(async () => (await demo.api.vm(vm.id)).checkpointType).toBe('ProductionOnly');

    const menu = await manager.openVmContextMenu(VM);
    await menu.getByRole('menuitem', { name: 'Checkpoint', exact: true }).hover();
    await demo.step('Right-click → Checkpoint', `Right-click ${VM} → Checkpoint.`);
    await menu.getByRole('menuitem', { name: 'Checkpoint', exact: true }).click();
    const notice = page.getByRole('dialog', { name: 'Production checkpoint created' });
    await expect(notice).toBeVisible({ timeout: 30_000 });
    const tree = await demo.api.checkpoints(vm.id);
    const created = tree.checkpoints.find((c) => c.id === tree.now.parentId);
    if (!created) throw new Error('Now does not hang under the new checkpoint');
    expect(created.kind).toBe('Production');
    expect(created.hasSavedState).toBe(false);
    await demo.step(
      '"Production checkpoint created"',
      `Hyper-V Manager says so: SQL Server's VSS writer flushed the database inside the guest, then the disks were frozen. No memory is saved. ${created.consistencyDetail ? `The checker finds the frozen disk ${created.consistency ?? ''}: ${created.consistencyDetail}.` : ''}`,
    );
    await notice.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(notice).toBeHidden();
    await demo.waitUntilIdle(VM);
    await checkpoints.rename(created.name, NAME);
    await checkpoints.label(NAME).click();
    await demo.step(
      `Checkpoint "${NAME}"`,
      `Renamed to ${NAME}. Its badge says Production; the details pane says no memory was saved.`,
    );

    connection = await demo.connect(VM);
    await demo.letWorkloadRun(6);
    const later = await demo.guest(VM);
    await expect(connection.guestConsole).toContainText(String(later.committedTransactions));
    await demo.step(
      'The workload goes on',
      `Meanwhile the guest keeps committing: ${later.committedTransactions} now, with transactions ${later.inFlightTransactions.join(', ')} in flight.`,
    );
    await connection.close();

    await checkpoints.choose(NAME, 'Apply...');
    await expect(checkpoints.applyDialog).toBeVisible();
    await checkpoints.applyDialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(checkpoints.applyDialog).toBeHidden();
    await demo.waitForState(VM, 'Off');
    await demo.waitUntilIdle(VM);
    await demo.step(
      'Applied: the VM is Off',
      `Right-click ${NAME} → Apply... → Apply. The VM is Off, not Saved: a production checkpoint holds no memory, so there is nothing to resume. Everything the guest did since is discarded.`,
    );

    await demo.start(VM);
    connection = await demo.connect(VM);
    await expect(connection.boot).toContainText('Clean start');
    const booted = await demo.guest(VM);
    expect(booted.boot?.kind).toBe('clean-start');
    await demo.step(
      'Start: a clean boot',
      `Start → Connect...: Windows boots from the disk. "${booted.boot?.message ?? ''}" Only what was committed at the checkpoint is there: the VSS writer completed the transactions in flight and closed the database before the disks were frozen, so no crash recovery was needed. What happened later (up to ${later.committedTransactions} committed, ${later.inFlightTransactions.join(', ')} in flight) was discarded with the disks of Now.`,
    );
    await connection.close();
  },
};
