import { expect } from '@playwright/test';
import type { Demo } from './demoContext.js';

const VM = 'SQL-PROD-01';

/** Demo 4: backup software (played by REST calls) takes a recovery checkpoint, reads it, converts it. */
export const recoveryCheckpoint: Demo = {
  name: 'recovery-checkpoint',
  title: 'Recovery checkpoint: what backup software does',
  summary:
    'Backup software asks Hyper-V for a recovery checkpoint, reads the frozen disk while the VM runs on, then converts the checkpoint to a reference point for its next incremental backup.',
  async run(demo) {
    const { manager, checkpoints, page } = demo;
    await manager.selectVm(VM);
    const vm = await demo.vm(VM);
    await demo.step(
      'Before the backup',
      `${VM} runs with one production checkpoint. In this demo the backup software is played by REST API calls; each caption says which call it made.`,
    );

    const created = await demo.api.createRecoveryCheckpoint(vm.id);
    expect(created.status).toBe(201);
    const recovery = created.body;
    expect(recovery.kind).toBe('Recovery');
    await expect(manager.checkpoint(recovery.name)).toBeVisible();
    await demo.waitUntilIdle(VM);
    await checkpoints.label(recovery.name).click();
    await demo.step(
      'Backup: recovery checkpoint',
      `Backup software: POST /api/v1/vms/${VM}/backup/checkpoints → 201, a checkpoint of kind Recovery ("${recovery.name}"), taken whatever the VM's checkpoint type. It appears in the tree like any checkpoint, with a Recovery badge (${recovery.consistency ?? 'unchecked'}${recovery.consistencyDetail ? `: ${recovery.consistencyDetail}` : ''}).`,
    );

    const menu = await checkpoints.openMenu(recovery.name);
    const apply = menu.getByRole('menuitem', { name: 'Apply...', exact: true });
    await expect(apply).toHaveAttribute('aria-disabled', 'true');
    await apply.hover();
    await demo.step(
      'Apply is not offered',
      'Right-click the recovery checkpoint: Apply... is greyed out. A recovery checkpoint belongs to the backup software, which restores from its own copy; Hyper-V does not apply it.',
    );
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();

    const header = await demo.api.readBackupDisk(vm.id, recovery.id, 0, 65_536);
    expect(header.status).toBe(200);
    const signature = header.body.subarray(0, 8).toString('latin1');
    const sample = await demo.api.readBackupDisk(vm.id, recovery.id, 1024 * 1024, 4 * 1024 * 1024);
    expect(sample.status).toBe(200);
    await demo.letWorkloadRun(4);
    const guest = await demo.guest(VM);
    const connection = await demo.connect(VM);
    await demo.step(
      'Backup: reading the frozen disk',
      `Backup software: GET .../backup/checkpoints/{id}/disk?offset=0&length=65536 → ${header.body.length} bytes${/^[\x20-\x7e]{4,}$/.test(signature) ? ` (the disk starts with "${signature}")` : ''}, then ${sample.body.length} bytes at 1 MiB, and so on. It reads the checkpoint's frozen content while the guest works on: ${guest.committedTransactions} committed now.`,
    );
    await connection.close();

    const converted = await demo.api.convertToReferencePoint(vm.id, recovery.id);
    expect(converted.status).toBe(200);
    await expect(manager.checkpoint(recovery.name)).toHaveCount(0);
    await demo.waitUntilIdle(VM);
    const points = await demo.api.referencePoints(vm.id);
    expect(points.map((p) => p.checkpointId)).toContain(recovery.id);
    const tasks = await demo.api.tasks();
    const merge = tasks.filter((t) => t.vmId === vm.id && t.name === 'Merging disks').at(-1);
    await demo.step(
      'Backup: reference point',
      `Backup software: POST .../convert-to-reference-point → 200. The recovery checkpoint leaves the tree${merge ? ` (its disk merged back: "Merging disks" ${merge.status})` : ''}; what remains is a reference point (GET .../backup/reference-points lists ${points.length}), which is not a checkpoint: the next backup reads only what changed since.`,
    );
  },
};
