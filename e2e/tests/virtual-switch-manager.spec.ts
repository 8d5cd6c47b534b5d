import type { VirtualSwitch } from '@hvm/engine';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures.js';
import { HyperVSettings, VirtualSwitchManager } from '../pages/VirtualSwitchManager.js';

async function switchesOf(page: Page): Promise<VirtualSwitch[]> {
  const response = await page.request.get('/api/v1/virtual-switches');
  expect(response.ok()).toBe(true);
  return (await response.json()) as VirtualSwitch[];
}

async function removeSwitchNamed(page: Page, name: string): Promise<void> {
  const found = (await switchesOf(page)).find((s) => s.name === name);
  if (found) await page.request.delete(`/api/v1/virtual-switches/${found.id}`);
}

test.describe('Virtual Switch Manager and Hyper-V Settings', () => {
  test('creates a Private switch, connects the VM to it on the Network Adapter page, then removes it: the adapter is Not connected', async ({
    manager,
    api,
    vm,
    settings,
    uniqueName,
  }) => {
    const switchName = uniqueName('lab');
    try {
      await manager.actionButton((await api.host()).name, 'Virtual Switch Manager...').click();
      const switches = new VirtualSwitchManager(manager.page);
      await expect(switches.entry('Default Switch')).toBeVisible();
      await switches.createSwitch('Private', switchName, 'isolated test network');
      await switches.ok();
      const created = (await switchesOf(manager.page)).find((s) => s.name === switchName);
      expect(created).toMatchObject({ switchType: 'Private', notes: 'isolated test network' });

      await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
      await settings.dialog.getByRole('tab', { name: 'Network Adapter' }).click();
      const list = settings.dialog.getByRole('combobox', { name: 'Virtual switch:' });
      await expect(list).toHaveValue(/c08cb7b8/);
      await list.selectOption({ label: switchName });
      await settings.dialog.getByRole('button', { name: 'OK' }).click();
      await expect(settings.dialog).toBeHidden();
      await expect
        .poll(async () => (await api.getVm(vm.id)).networkAdapters?.[0]?.switchName)
        .toBe(switchName);

      await manager.actionButton((await api.host()).name, 'Virtual Switch Manager...').click();
      const again = new VirtualSwitchManager(manager.page);
      await again.entry(switchName).click();
      await again.button('Remove').click();
      await expect(again.entry(switchName)).toBeHidden();
      await again.ok();
      await expect
        .poll(async () => (await switchesOf(manager.page)).some((s) => s.name === switchName))
        .toBe(false);
      expect((await api.getVm(vm.id)).networkAdapters?.[0]).toMatchObject({
        switchId: null,
        switchName: null,
      });
    } finally {
      await removeSwitchNamed(manager.page, switchName);
    }
  });

  test('the Default Switch cannot be changed and an External switch cannot be created', async ({
    manager,
    api,
  }) => {
    await manager.actionButton((await api.host()).name, 'Virtual Switch Manager...').click();
    const switches = new VirtualSwitchManager(manager.page);
    await switches.entry('Default Switch').click();
    await expect(switches.name).toBeDisabled();
    await expect(switches.button('Remove')).toBeDisabled();
    await switches.entry('New virtual network switch').click();
    await switches.dialog.getByRole('radio', { name: 'External', exact: true }).check();
    await expect(switches.button('Create Virtual Switch')).toBeDisabled();
    await switches.button('Cancel').click();
    await expect(switches.dialog).toBeHidden();
  });

  test('Hyper-V Settings sets the virtual hard disk folder and keeps the Keyboard choice', async ({
    manager,
    api,
  }) => {
    const before = await api.host();
    try {
      await manager.actionButton(before.name, 'Hyper-V Settings...').click();
      const hyperV = new HyperVSettings(manager.page);
      await expect(hyperV.folder).toHaveValue(before.virtualHardDiskPath ?? 'Virtual Hard Disks');
      await hyperV.folder.fill('Switch Test Disks');
      await hyperV.tab('Keyboard').click();
      await hyperV.keyboard('Use on the virtual machine').check();
      await hyperV.button('OK').click();
      await expect(hyperV.dialog).toBeHidden();
      // An Administrator sees the folder by its full path on the host (issue 17).
      await expect
        .poll(async () => (await api.host()).virtualHardDiskPath)
        .toMatch(/\/Switch Test Disks$/);

      await manager.actionButton(before.name, 'Hyper-V Settings...').click();
      await hyperV.tab('Keyboard').click();
      await expect(hyperV.keyboard('Use on the virtual machine')).toBeChecked();
      await hyperV.button('Cancel').click();
    } finally {
      await manager.page.request.patch('/api/v1/host', {
        data: { virtualHardDiskPath: before.virtualHardDiskPath ?? 'Virtual Hard Disks' },
      });
    }
  });
});
