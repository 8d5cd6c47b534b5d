import type { VmDetail } from '@hvm/engine';
import { test, expect } from '../fixtures.js';
import type { HyperVApi } from '../support/api.js';
import type { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { NewVmWizard } from '../pages/NewVmWizard.js';

/** Actions pane ▸ New ▸ Virtual Machine..., as Microsoft's "Create a virtual machine in Hyper-V" says. */
async function openWizard(manager: HyperVManagerPage, api: HyperVApi): Promise<NewVmWizard> {
  const host = await api.host();
  const section = manager.actionSection(host.name);
  await section.getByRole('button', { name: 'New' }).click();
  await section.getByRole('button', { name: 'Virtual Machine...', exact: true }).click();
  const wizard = new NewVmWizard(manager.page);
  await expect(wizard.page('Before You Begin')).toBeVisible();
  return wizard;
}

async function createdVm(api: HyperVApi, name: string): Promise<VmDetail> {
  const summary = (await api.listVms()).find((v) => v.name === name);
  expect(summary, `the VM ${name}`).toBeDefined();
  return api.getVm(summary?.id ?? ('' as VmDetail['id']));
}

async function removeVm(api: HyperVApi, name: string): Promise<void> {
  const summary = (await api.listVms()).find((v) => v.name === name);
  if (summary) await api.deleteVm(summary.id);
}

test.describe('the New Virtual Machine Wizard', () => {
  test('creates a VM with a new disk where Connect Virtual Hard Disk says; memory that is not a multiple of 2 MB is shown in place until fixed', async ({
    manager,
    api,
    uniqueName,
  }) => {
    const name = uniqueName('new-disk');
    const folder = `E2E/${name}`;
    const wizard = await openWizard(manager, api);
    await wizard.next();
    await wizard.name.fill(name);
    await wizard.next();
    await wizard.generation(2).check();
    await wizard.next();
    await wizard.memory.fill('1025');
    await wizard.next();
    await expect(wizard.problems('Assign Memory')).toHaveText(
      'Startup memory must be a multiple of 2 MB.',
    );
    await expect(wizard.memory).toHaveAttribute('aria-invalid', 'true');
    await wizard.memory.fill('1026');
    await expect(wizard.problems('Assign Memory')).toHaveCount(0);
    await wizard.next();
    await expect(wizard.page('Configure Networking')).toContainText('Connection:');
    await wizard.next();
    await expect(wizard.diskChoice('Create a virtual hard disk')).toBeChecked();
    await expect(wizard.newDiskName).toHaveValue(`${name}.vhdx`);
    await wizard.newDiskName.fill('system.vhdx');
    await wizard.newDiskLocation.fill(folder);
    await wizard.newDiskSize.fill('2');
    await wizard.goTo('Summary');
    await expect(wizard.summary('Hard Disk:')).toHaveText(`${folder}/system.vhdx (2 GB, dynamic)`);
    await expect(wizard.summary('Memory:')).toHaveText('1026 MB');
    await wizard.finish();
    try {
      await expect(manager.vmRow(name)).toHaveAttribute('aria-selected', 'true');
      const vm = await createdVm(api, name);
      // The host shows the disk by its full path (issue 17), ending with the folder the wizard had.
      expect(vm.hardDrives.map((d) => [d.controllerLocation, d.virtualSizeBytes])).toEqual([
        ['SCSI 0:0', 2 * 1024 ** 3],
      ]);
      expect(vm.hardDrives[0]?.path).toMatch(new RegExp(`/${folder}/system\\.vhdx$`));
    } finally {
      await removeVm(api, name);
    }
  });

  test('uses an existing virtual hard disk: one another VM uses is refused with the server’s reason, a free one is attached as it is', async ({
    manager,
    api,
    vm,
    uniqueName,
  }) => {
    // A disk no VM uses: Remove-VM keeps a deleted VM's disks (behaviour spec R26).
    const donor = await api.createVm(uniqueName('donor'));
    const freeDisk = donor.hardDrives[0]?.path ?? '';
    await api.deleteVm(donor.id);
    const name = uniqueName('existing');
    const wizard = await openWizard(manager, api);
    await wizard.next();
    await wizard.name.fill(name);
    await wizard.goTo('Connect Virtual Hard Disk');
    await wizard.diskChoice('Use an existing virtual hard disk').check();
    await wizard.next();
    await expect(wizard.problems('Connect Virtual Hard Disk')).toContainText('.vhdx');
    await wizard.existingDisk.fill(vm.hardDrives[0]?.path ?? '');
    await expect(wizard.problems('Connect Virtual Hard Disk')).toHaveCount(0);
    await wizard.next();
    await expect(wizard.image('Ubuntu 22.04 LTS with PostgreSQL 14')).toBeDisabled();
    await wizard.dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(wizard.dialog.getByRole('alert')).toContainText(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    await wizard.goTo('Connect Virtual Hard Disk');
    await wizard.existingDisk.fill(freeDisk);
    await wizard.finish();
    try {
      await expect(manager.vmRow(name)).toHaveAttribute('aria-selected', 'true');
      const created = await createdVm(api, name);
      expect(created.hardDrives.map((d) => d.path)).toEqual([freeDisk]);
      // Checkpoints of a VM on a brought disk work like any other.
      await api.createCheckpoint(created.id, 'on the brought disk');
      expect(await api.checkpointNames(created.id)).toContain('on the brought disk');
    } finally {
      await removeVm(api, name);
    }
  });

  test('attach a virtual hard disk later: Summary says so and the VM has no hard disk drive', async ({
    manager,
    api,
    uniqueName,
  }) => {
    const name = uniqueName('later');
    const wizard = await openWizard(manager, api);
    await wizard.goTo('Specify Name and Location');
    await wizard.name.fill(name);
    await wizard.goTo('Connect Virtual Hard Disk');
    await wizard.diskChoice('Attach a virtual hard disk later').check();
    await wizard.goTo('Summary');
    await expect(wizard.summary('Hard Disk:')).toHaveText('None (attach later)');
    await wizard.previous();
    await expect(wizard.page('Installation Options')).toBeVisible();
    await wizard.finish();
    try {
      await expect(manager.vmRow(name)).toHaveAttribute('aria-selected', 'true');
      const vm = await createdVm(api, name);
      expect(vm.hardDrives).toEqual([]);
      expect(vm.generation).toBe(1);
    } finally {
      await removeVm(api, name);
    }
  });
});
