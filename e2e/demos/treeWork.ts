import { expect } from '@playwright/test';
import { ExportDialog } from '../pages/DiskDialogs.js';
import type { Demo } from './demoContext.js';

const VM = 'WEB-UBUNTU-01';
const BEFORE = 'Before PostgreSQL 16 upgrade';
const AFTER = 'After PostgreSQL 16 upgrade';
const BRANCH = 'Stay on PostgreSQL 14';
const EXPORT_FOLDER = 'Exports/Stay-on-PostgreSQL-14';

/** Demo 5: branch, rename, delete (merge), delete a subtree, export. */
export const treeWork: Demo = {
  name: 'tree-work',
  title: 'Working with the checkpoint tree',
  summary:
    'Apply an older checkpoint and branch from it, rename, delete a checkpoint and watch its disk merge, delete a subtree, and export a checkpoint as a VM of its own.',
  async run(demo) {
    const { manager, checkpoints, page } = demo;
    await manager.selectVm(VM);
    const vm = await demo.vm(VM);
    await expect(manager.checkpoint(AFTER)).toBeVisible();
    await demo.step(
      'A line of checkpoints',
      `${VM} (Ubuntu with PostgreSQL) has two production checkpoints, "${BEFORE}" and "${AFTER}", and Now under the latter.`,
    );

    await checkpoints.choose(BEFORE, 'Apply...');
    await checkpoints.applyDialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(checkpoints.applyDialog).toBeHidden();
    await demo.waitForState(VM, 'Off');
    await demo.waitUntilIdle(VM);
    await expect
      .poll(async () => (await demo.api.checkpoints(vm.id)).now.parentId)
      .toBe((await demo.api.checkpointByName(vm.id, BEFORE)).id);
    await demo.step(
      `Apply "${BEFORE}"`,
      `Right-click "${BEFORE}" → Apply... → Apply. Now moves under it and the VM is Off (production checkpoints hold no memory). "${AFTER}" stays in the tree: applying never deletes checkpoints.`,
    );

    await demo.start(VM);
    await manager.chooseFromVmContextMenu(VM, 'Checkpoint');
    const created = page.getByRole('dialog', { name: 'Production checkpoint created' });
    await expect(created).toBeVisible({ timeout: 30_000 });
    await created.getByRole('button', { name: 'OK', exact: true }).click();
    await demo.waitUntilIdle(VM);
    const tree = await demo.api.checkpoints(vm.id);
    const branch = tree.checkpoints.find((c) => c.id === tree.now.parentId);
    if (!branch) throw new Error('Now does not hang under the new checkpoint');
    await expect(manager.checkpoint(branch.name)).toBeVisible();
    await demo.step(
      'A branch',
      `Start, then right-click → Checkpoint: the new checkpoint hangs under "${BEFORE}", beside "${AFTER}". The tree has two branches: with and without the upgrade.`,
    );

    await checkpoints.choose(branch.name, 'Rename...');
    await expect(checkpoints.renameBox).toBeFocused();
    await checkpoints.renameBox.fill(BRANCH);
    await demo.step(
      'Rename...',
      `Right-click → Rename... edits the name in place, as in Hyper-V Manager: "${BRANCH}", Enter to commit.`,
    );
    await checkpoints.renameBox.press('Enter');
    await expect(manager.checkpoint(BRANCH)).toBeVisible();

    await checkpoints.choose(AFTER, 'Delete Checkpoint Subtree...');
    await expect(checkpoints.deleteDialog).toContainText('and all of its child checkpoints');
    await demo.step(
      'Delete Checkpoint Subtree...',
      `The upgrade is abandoned: right-click "${AFTER}" → Delete Checkpoint Subtree... removes it and everything below it.`,
    );
    await checkpoints.deleteDialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(checkpoints.deleteDialog).toBeHidden();
    await expect(manager.checkpoint(AFTER)).toHaveCount(0);
    await demo.waitUntilIdle(VM);
    await demo.step(
      'Subtree deleted',
      `"${AFTER}" is gone. Nothing derived from its disk any more, so its .avhdx was simply deleted: no merge needed.`,
    );

    await checkpoints.choose(BEFORE, 'Delete Checkpoint...');
    await expect(checkpoints.deleteDialog).toBeVisible();
    await checkpoints.deleteDialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(checkpoints.deleteDialog).toBeHidden();
    const merging = manager.vmRow(VM).getByText(/Merging disks \(\d+%\)/);
    const seen = await merging
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    const mergeStatus = seen ? await merging.innerText() : null;
    if (seen) {
      await demo.step(
        'Delete Checkpoint...: merging',
        `Right-click "${BEFORE}" → Delete Checkpoint... Its disk has exactly one child, the branch's, so Hyper-V merges it into that child in the background; the Status column shows "${mergeStatus ?? ''}".`,
      );
    }
    await demo.waitUntilIdle(VM);
    await expect(manager.checkpoint(BEFORE)).toHaveCount(0);
    const merge = (await demo.api.tasks())
      .filter((t) => t.vmId === vm.id && t.name === 'Merging disks')
      .at(-1);
    expect(merge?.status).toBe('Completed');
    const ms = merge?.finishedAt
      ? new Date(merge.finishedAt).getTime() - new Date(merge.startedAt).getTime()
      : null;
    await demo.step(
      'Merged',
      `${seen ? '' : `Right-click "${BEFORE}" → Delete Checkpoint... `}The "Merging disks" task completed${ms === null ? '' : ` in ${(ms / 1000).toFixed(1)} s`}: "${BEFORE}"'s differencing disk was folded into the branch's disk, whose content is unchanged. "${BRANCH}" is now the root of the tree.`,
    );

    await checkpoints.choose(BRANCH, 'Export...');
    const exportDialog = new ExportDialog(page);
    await expect(exportDialog.dialog).toBeVisible();
    await exportDialog.location.fill(EXPORT_FOLDER);
    await demo.step(
      'Export...',
      `Right-click "${BRANCH}" → Export... to ${EXPORT_FOLDER} (in the host's data folder).`,
    );
    await exportDialog.dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(exportDialog.dialog).toBeHidden();
    await expect
      .poll(
        async () =>
          (await demo.api.tasks()).find(
            (t) => t.vmId === vm.id && t.name === 'Exporting virtual machine',
          )?.status,
        { timeout: 60_000 },
      )
      .toBe('Completed');
    await demo.waitUntilIdle(VM);
    const disks = await demo.api.call<{ path: string }[]>('GET', '/disks');
    const exported = disks.body.map((d) => d.path).filter((p) => p.startsWith(EXPORT_FOLDER));
    expect(exported.length).toBeGreaterThan(0);
    await demo.step(
      'Exported',
      `The "Exporting virtual machine" task completed: ${EXPORT_FOLDER}/${VM}/ holds the configuration and the checkpoint's disk flattened into a standalone .vhdx (${exported.map((p) => p.split('/').at(-1)).join(', ')}), importable as a VM of its own.`,
    );
  },
};
