import type { DiskFileEntry, Task } from '@hvm/engine';
import { test, expect } from '../fixtures.js';
import { ExportDialog, InspectDiskDialog } from '../pages/DiskDialogs.js';

test.describe('Export and Inspect Disk', () => {
  test('Export... of a checkpoint from its context menu runs the export task and writes the files', async ({
    manager,
    api,
    vm,
    page,
    request,
  }) => {
    const checkpoint = await api.createCheckpoint(vm.id, 'Before export');
    await manager.selectVm(vm.name);
    // The row's own label: the tree item also holds its children (Now).
    await manager
      .checkpoint('Before export')
      .getByText('Before export', { exact: true })
      .first()
      .click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Export...', exact: true }).click();
    const folder = `Exports/${vm.name}-out`;
    await new ExportDialog(page).exportTo(folder);

    await expect
      .poll(async () => {
        const tasks = (await (await request.get('/api/v1/tasks')).json()) as Task[];
        return tasks.find((t) => t.vmId === vm.id && t.name === 'Exporting virtual machine')
          ?.status;
      })
      .toBe('Completed');
    await expect(manager.vmRow(vm.name)).toContainText('Operating normally');

    const disks = (await (await request.get('/api/v1/disks')).json()) as DiskFileEntry[];
    // An Administrator sees full paths on the host, under its data folder.
    const { dataLocation } = await api.host();
    expect(disks.map((d) => d.path)).toContain(
      `${dataLocation}/${folder}/${vm.name}/Virtual Hard Disks/${vm.name}.vhdx`,
    );
    const again = await request.post(
      `/api/v1/vms/${vm.id}/checkpoints/${checkpoint.id}/actions/export`,
      { data: { path: folder } },
    );
    expect(again.status()).toBe(409);
  });

  test("Inspect Disk shows the VM's .avhdx with its parent and walks up to it", async ({
    manager,
    api,
    vm,
    page,
  }) => {
    await api.createCheckpoint(vm.id, 'First');
    const now = (await api.getVm(vm.id)).hardDrives[0];
    const avhdx = now?.path ?? '';
    expect(avhdx).toMatch(/\.avhdx$/);
    await manager.actions.getByRole('button', { name: 'Inspect Disk...' }).click();
    const inspect = new InspectDiskDialog(page);
    await inspect.inspect(avhdx);
    await expect(inspect.property('Type')).toContainText('Differencing');
    await expect(inspect.property('Format')).toContainText('VHDX');
    await expect(inspect.property('Location')).toContainText(avhdx);
    const parent = `Virtual Hard Disks/${vm.name}.vhdx`;
    await expect(inspect.property('Parent')).toContainText(parent);
    await expect(inspect.property('Used By')).toContainText(`${vm.name} (Now)`);
    await inspect.inspectParent();
    await expect(inspect.property('Location')).toContainText(parent);
    await expect(inspect.property('Type')).toContainText('Dynamically expanding');
    await expect(inspect.property('Parent')).toContainText('None');
  });
});
