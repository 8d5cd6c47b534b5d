import { mkdirSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../fixtures.js';
import { MessageBox } from '../pages/MessageBox.js';

/**
 * Issue 17: loading keeps files it cannot prove it abandoned, and Check Host lists them as
 * orphaned with two explicit actions: Remove... (asks first, logged) and, for a disk, Attach to
 * VM... (a new hard drive of an Off VM).
 */
test.describe('Orphaned disks and files in Check Host', () => {
  test('an orphaned checkpoint file is removed after the question; Cancel keeps it', async ({
    manager,
    server,
    page,
  }) => {
    const name = `${crypto.randomUUID()}.json`;
    const path = `Snapshots/${name}`;
    mkdirSync(join(server.dataDir, 'Snapshots'), { recursive: true });
    writeFileSync(join(server.dataDir, path), '{}');

    // An Administrator sees the host's full paths (issue 17).
    const shown = join(server.dataDir, path);
    await manager.actions.getByRole('button', { name: 'Check Host...' }).click();
    const check = page.getByRole('dialog', { name: 'Check Host' });
    const orphans = check.getByRole('region', { name: 'Orphaned files' });
    await expect(orphans).toContainText(shown);
    await expect(orphans).toContainText('Checkpoint configuration');

    const question = new MessageBox(page, 'Remove Orphaned File');
    await orphans.getByRole('button', { name: `Remove ${shown}...` }).click();
    await expect(question.dialog).toContainText(`Do you want to delete ${shown}?`);
    await question.cancel();
    expect(existsSync(join(server.dataDir, path))).toBe(true);

    await check.getByRole('button', { name: `Remove ${shown}...` }).click();
    await question.press('Remove');
    await expect(check).toBeVisible();
    await expect(check).not.toContainText(shown);
    expect(existsSync(join(server.dataDir, path))).toBe(false);
    const log = await (await page.request.get('/api/v1/event-log')).text();
    expect(log).toContain(`The orphaned file '${shown}' was removed.`);
  });

  test('an orphaned differencing disk is attached to an Off VM as a new hard drive', async ({
    manager,
    api,
    vm,
    server,
    page,
    uniqueName,
  }) => {
    // A deleted VM keeps its .vhdx (R26); a differencing disk of it, named as Hyper-V names
    // checkpoint disks, is a disk no VM lists.
    const old = await api.createVm(uniqueName('old'));
    const kept = `Virtual Hard Disks/${old.name}.vhdx`;
    await api.deleteVm(old.id);
    const made = await page.request.post('/api/v1/powershell', {
      data: {
        script: `New-VHD -Path 'Virtual Hard Disks\\${old.name}-child.vhdx' -ParentPath '${kept.replace('/', '\\')}' -Differencing | Out-Null`,
      },
    });
    expect(made.ok(), await made.text()).toBe(true);
    const orphan = `Virtual Hard Disks/${old.name}_${crypto.randomUUID().toUpperCase()}.avhdx`;
    renameSync(
      join(server.dataDir, 'Virtual Hard Disks', `${old.name}-child.vhdx`),
      join(server.dataDir, orphan),
    );

    const shown = join(server.dataDir, orphan);
    await manager.actions.getByRole('button', { name: 'Check Host...' }).click();
    const check = page.getByRole('dialog', { name: 'Check Host' });
    const disks = check.getByRole('region', { name: 'Orphaned disks' });
    await expect(disks).toContainText(shown);
    await disks.getByRole('button', { name: `Attach ${shown} to a virtual machine...` }).click();

    const attach = page.getByRole('dialog', { name: 'Attach Orphaned Disk' });
    await attach
      .getByRole('combobox', { name: 'Virtual machine:' })
      .selectOption({ label: vm.name });
    await attach.getByRole('button', { name: 'Attach', exact: true }).click();
    await expect(attach).toBeHidden();
    await expect(check).toBeVisible();
    await expect(check).not.toContainText(shown);

    const after = await api.getVm(vm.id);
    expect(after.hardDrives.map((drive) => drive.path)).toContain(shown);
    expect(after.hardDrives.find((drive) => drive.path === shown)?.chain).toEqual([
      shown,
      join(server.dataDir, kept),
    ]);
  });
});
