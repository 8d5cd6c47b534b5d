import { test, expect } from '../fixtures.js';
import { InspectDiskDialog } from '../pages/DiskDialogs.js';
import { NewVmWizard } from '../pages/NewVmWizard.js';

const HOST_MENU = ['Virtual Machine...', 'Inspect Disk...', 'Refresh'];
const GALLERY = [
  'Install an operating system later',
  'Windows Server 2016 with SQL Server 2016',
  'Ubuntu 22.04 LTS with PostgreSQL 14',
  'Windows Server 2016 domain controller',
  'Legacy guest without integration services',
];

test.describe('the host: its context menu and its section of the Actions pane', () => {
  test('New > Virtual Machine... offers the Quick Create gallery and creates the VM with the chosen guest', async ({
    manager,
    api,
    uniqueName,
  }) => {
    const host = await api.host();
    await manager.hostNode.click({ button: 'right' });
    const menu = manager.contextMenu(host.name);
    // Other host commands may sit between these; these three are always there and enabled.
    for (const caption of HOST_MENU) await expect(menu.item(caption)).toBeEnabled();
    await expect(menu.menu).toContainText('New');
    await menu.choose('Virtual Machine...');

    const wizard = new NewVmWizard(manager.page);
    await expect(wizard.page('Before You Begin')).toBeVisible();
    await wizard.next();
    await expect(wizard.name).toBeFocused();
    await expect(wizard.name).toHaveValue('New Virtual Machine');
    await wizard.goTo('Installation Options');
    await expect(wizard.gallery.getByRole('radio')).toHaveCount(GALLERY.length);
    for (const caption of GALLERY) await expect(wizard.image(caption)).toBeVisible();
    await expect(wizard.image(GALLERY[0] ?? '')).toBeChecked();

    await wizard.goTo('Specify Name and Location');
    await wizard.name.fill('');
    await wizard.dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(wizard.dialog.getByRole('alert')).toHaveText(
      'The name must be 1 to 100 characters long.',
    );

    const name = uniqueName('quick');
    await wizard.name.fill(name);
    await wizard.goTo('Installation Options');
    await wizard.image('Ubuntu 22.04 LTS with PostgreSQL 14').check();
    await wizard.finish();
    try {
      await expect(manager.vmRow(name)).toHaveAttribute('aria-selected', 'true');
      await expect(manager.details).toContainText('Ubuntu 22.04 LTS');
      const created = (await api.listVms()).find((v) => v.name === name);
      expect(created?.guestImage).toBe('ubuntu-22.04-postgres');
      expect(created?.state).toBe('Off');
    } finally {
      const created = (await api.listVms()).find((v) => v.name === name);
      if (created) await api.deleteVm(created.id);
    }
  });

  test('Inspect Disk... and Refresh from the host menu; Shift+F10 opens it from the keyboard', async ({
    manager,
    api,
    vm,
    page,
  }) => {
    const host = await api.host();
    await manager.hostNode.focus();
    await page.keyboard.press('Shift+F10');
    const menu = manager.contextMenu(host.name);
    await expect(menu.item('Virtual Machine...')).toBeFocused();
    await menu.choose('Inspect Disk...');
    const inspect = new InspectDiskDialog(page);
    // The disk as the server shows it to an Administrator: its full path on the host.
    const disk = vm.hardDrives[0]?.path ?? '';
    expect(disk).toMatch(new RegExp(`/Virtual Hard Disks/${vm.name}\\.vhdx$`));
    await inspect.inspect(disk);
    await expect(inspect.property('Type')).toContainText('Dynamically expanding');
    await expect(inspect.property('Used By')).toContainText(`${vm.name} (Now)`);
    await page.keyboard.press('Escape');
    await expect(inspect.dialog).toBeHidden();

    await manager.hostNode.click({ button: 'right' });
    const refetched = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/vms') && r.request().method() === 'GET' && r.ok(),
    );
    await menu.choose('Refresh');
    await refetched;
    await expect(manager.vmRow(vm.name)).toBeVisible();
  });

  test('the host section of the Actions pane: New ▸ Virtual Machine..., Refresh, Inspect Disk...', async ({
    manager,
    api,
    page,
  }) => {
    const host = await api.host();
    const section = manager.actionSection(host.name);
    const newButton = section.getByRole('button', { name: 'New' });
    await expect(newButton).toHaveAttribute('aria-expanded', 'false');
    await newButton.click();
    await expect(newButton).toHaveAttribute('aria-expanded', 'true');
    await section.getByRole('button', { name: 'Virtual Machine...', exact: true }).click();
    const wizard = new NewVmWizard(page);
    await expect(wizard.dialog).toBeVisible();
    await wizard.dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(wizard.dialog).toBeHidden();

    const refetched = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/vms') && r.request().method() === 'GET' && r.ok(),
    );
    await manager.actionButton(host.name, 'Refresh').click();
    await refetched;

    await manager.actionButton(host.name, 'Inspect Disk...').click();
    await expect(new InspectDiskDialog(page).dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(new InspectDiskDialog(page).dialog).toBeHidden();
  });
});
