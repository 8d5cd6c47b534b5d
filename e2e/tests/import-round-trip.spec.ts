import type { Task, VmCompatibilityReport, VmDetail } from '@hvm/engine';
import { test, expect } from '../fixtures.js';

/**
 * The round trip of "Export and Import virtual machines" (Windows Server docs): Export-VM writes
 * the VM with its checkpoints, Import as a copy gives a new VM with a new ID whose checkpoints work
 * (checkpoint, then apply), and the console shows it.
 */
test.describe('Export, import as a copy, checkpoint, apply', () => {
  test('the copy has the checkpoints of the export and its own ID; checkpoint and apply work on it', async ({
    api,
    vm,
    manager,
    request,
    uniqueName,
  }) => {
    await api.createCheckpoint(vm.id, 'Before export');
    const folder = `Exports/${uniqueName('round-trip')}`;
    const exported = await request.post(`/api/v1/vms/${vm.id}/actions/export`, {
      data: { path: folder },
    });
    expect(exported.status(), await exported.text()).toBe(202);
    const { task } = (await exported.json()) as { task: Task };
    await expect
      .poll(
        async () => ((await (await request.get(`/api/v1/tasks/${task.id}`)).json()) as Task).status,
      )
      .toBe('Completed');

    const path = `${folder}/${vm.name}`;
    const compared = await request.post('/api/v1/vms/import/compare', {
      data: { path, mode: 'copy' },
    });
    const report = (await compared.json()) as VmCompatibilityReport;
    // Another VM of the same name is no incompatibility: Hyper-V knows VMs by ID (R36). The copy
    // is named otherwise here (newName, this host's extension) only to find it in the list.
    expect(report.incompatibilities).toEqual([]);

    const copyName = uniqueName('copy');
    const imported = await request.post('/api/v1/vms/import', {
      data: { path, mode: 'copy', newName: copyName },
    });
    expect(imported.status(), await imported.text()).toBe(201);
    const copy = (await imported.json()) as VmDetail;
    try {
      expect(copy.id).not.toBe(vm.id);
      expect(await api.checkpointNames(copy.id)).toEqual(['Before export']);

      await manager.selectVm(copyName);
      await expect(manager.checkpoint('Before export')).toBeVisible();

      await api.createCheckpoint(copy.id, 'On the copy');
      const tree = await api.checkpoints(copy.id);
      const before = tree.checkpoints.find((c) => c.name === 'Before export');
      if (before === undefined) throw new Error('the copy lost its checkpoint');
      await api.applyCheckpoint(copy.id, before);
      expect((await api.checkpoints(copy.id)).now.parentId).toBe(before.id);
      await expect(manager.checkpoint('On the copy')).toBeVisible();
      // The source VM is untouched.
      expect(await api.checkpointNames(vm.id)).toEqual(['Before export']);
    } finally {
      await api.deleteVm(copy.id);
    }
  });

  test("the Import Virtual Machine wizard imports a copy under a new name; Compare-VM's report shows first", async ({
    api,
    vm,
    manager,
    page,
    request,
    uniqueName,
  }) => {
    await api.createCheckpoint(vm.id, 'Exported');
    const folder = `Exports/${uniqueName('wizard')}`;
    const exported = await request.post(`/api/v1/vms/${vm.id}/actions/export`, {
      data: { path: folder },
    });
    const { task } = (await exported.json()) as { task: Task };
    await expect
      .poll(
        async () => ((await (await request.get(`/api/v1/tasks/${task.id}`)).json()) as Task).status,
      )
      .toBe('Completed');

    const host = await api.host();
    await manager.actionButton(host.name, 'Import Virtual Machine...').click();
    const wizard = page.getByRole('dialog', { name: 'Import Virtual Machine' });
    const next = () => wizard.getByRole('button', { name: 'Next >' }).click();
    await wizard.getByRole('textbox', { name: 'Folder' }).fill(`${folder}/${vm.name}`);
    await next();
    await expect(wizard).toContainText(`${vm.name} (Off, 1 checkpoint)`);
    await next();
    await wizard
      .getByRole('radio', { name: 'Copy the virtual machine (create a new unique ID)' })
      .check();
    await next();
    await next();
    // Without a new name the copy keeps its source's name, which Hyper-V allows (R36): Finish is on.
    await expect(wizard.getByRole('button', { name: 'Finish' })).toBeEnabled();
    await expect(wizard.getByRole('alert')).toHaveCount(0);
    await wizard.getByRole('button', { name: '< Previous' }).click();
    const copyName = uniqueName('wizard-copy');
    await wizard.getByRole('textbox', { name: 'New name' }).fill(copyName);
    await next();
    await wizard.getByRole('button', { name: 'Finish' }).click();
    await expect(wizard).toBeHidden();
    await expect(manager.vmRow(copyName)).toBeVisible();
    const copy = (await api.listVms()).find((v) => v.name === copyName);
    if (copy === undefined) throw new Error('the copy is not listed');
    try {
      expect(copy.id).not.toBe(vm.id);
      expect(await api.checkpointNames(copy.id)).toEqual(['Exported']);
    } finally {
      await api.deleteVm(copy.id);
    }
  });
});
