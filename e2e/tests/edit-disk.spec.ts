import type { DiskFileEntry, DiskInspection } from '@hvm/engine';
import { test, expect } from '../fixtures.js';
import { EditDiskWizard, InspectDiskDialog, NewDiskWizard } from '../pages/DiskDialogs.js';

const GB = 1024 ** 3;

test.describe('Edit Disk', () => {
  test("expands an Off VM's disk through the wizard; the server has the new size", async ({
    manager,
    vm,
    page,
    request,
  }) => {
    const disk = vm.hardDrives[0]?.path ?? '';
    await manager.actions.getByRole('button', { name: 'Edit Disk...' }).click();
    const wizard = new EditDiskWizard(page);
    await wizard.locate(disk);
    await expect(wizard.actions()).toHaveText(['Compact', 'Convert', 'Expand']);
    await wizard.choose('Expand');
    await wizard.expandTo(3);
    await expect(wizard.dialog).toContainText('New size:3.00 GB');
    await wizard.finish();
    await expect(wizard.dialog).toBeHidden();
    const after = (await (
      await request.get('/api/v1/disks/inspect', { params: { path: disk } })
    ).json()) as DiskInspection;
    expect(after.virtualSizeBytes).toBe(3 * GB);
  });

  test('converts a disk to a fixed one; Inspect Disk lists it with its current size and its maximum', async ({
    manager,
    vm,
    page,
    request,
  }) => {
    const disk = vm.hardDrives[0]?.path ?? '';
    const copy = `Edited/${vm.name}-fixed.vhdx`;
    await manager.actions.getByRole('button', { name: 'Edit Disk...' }).click();
    const wizard = new EditDiskWizard(page);
    await wizard.locate(disk);
    await wizard.choose('Convert');
    await wizard.convertTo('Fixed size', copy);
    await wizard.finish();
    await expect(wizard.dialog).toBeHidden();

    const disks = (await (await request.get('/api/v1/disks')).json()) as DiskFileEntry[];
    // Administrators see full paths on the host (issue 17): the copy ends with the path given.
    const fixed = disks.find((d) => d.path.endsWith(`/${copy}`));
    expect(fixed).toBeDefined();
    await manager.actions.getByRole('button', { name: 'Inspect Disk...' }).click();
    const inspect = new InspectDiskDialog(page);
    await inspect.inspect(fixed?.path ?? copy);
    await expect(inspect.property('Type')).toContainText('Fixed size');
    await expect(inspect.property('Maximum Disk Size')).toContainText('1.00 GB');
    // The list and the properties give the same current size (issue 16).
    const current = (await inspect.property('Current File Size').locator('dd').textContent()) ?? '';
    const item = inspect.dialog.getByRole('listitem').filter({ hasText: fixed?.path ?? copy });
    await expect(item).toContainText(current);
  });

  test('a disk of a VM with a checkpoint is refused at Finish, with the reason', async ({
    manager,
    api,
    vm,
    page,
  }) => {
    await api.createCheckpoint(vm.id, 'Before edit');
    const base = `Virtual Hard Disks/${vm.name}.vhdx`;
    await manager.actions.getByRole('button', { name: 'Edit Disk...' }).click();
    const wizard = new EditDiskWizard(page);
    await wizard.locate(base);
    await wizard.choose('Compact');
    await wizard.finish();
    await expect(wizard.error).toContainText('The virtual hard disk could not be edited.');
    await expect(wizard.error).toContainText(`'${vm.name}' has checkpoints`);
    await expect(wizard.dialog).toBeVisible();
  });

  test('New > Hard Disk... creates a fixed-size disk; Inspect Disk opens on it', async ({
    manager,
    page,
    request,
    uniqueName,
  }) => {
    test.setTimeout(180_000);
    const name = `${uniqueName('fixed')}.vhdx`;
    await manager.actions.getByRole('button', { name: /^New/ }).click();
    await manager.actions.getByRole('button', { name: 'Hard Disk...' }).click();
    await new NewDiskWizard(page).create({
      type: 'Fixed size',
      name,
      location: 'New Disks',
      gigabytes: 1,
    });
    // New-VHD -Fixed writes zeros over the whole gigabyte: on a loaded machine that takes a while
    // (the wizard shows the task's percentage meanwhile).
    const inspect = new InspectDiskDialog(page);
    await expect(inspect.property('Type')).toContainText('Fixed size', { timeout: 120_000 });
    await expect(inspect.property('Maximum Disk Size')).toContainText('1.00 GB');
    const created = (await (
      await request.get('/api/v1/disks/inspect', { params: { path: `New Disks/${name}` } })
    ).json()) as DiskInspection;
    expect(created).toMatchObject({ type: 'Fixed', virtualSizeBytes: GB });
  });
});
