import type { Locator, Page } from '@playwright/test';
import type { VmDetail } from '@hvm/engine';
import { test, expect } from '../fixtures.js';
import { AddRemoveColumnsDialog, CustomizeViewDialog, MenuBar } from '../pages/MenuBar.js';

/** The widths of the Virtual Machines list's column headers, in pixels. */
async function headerWidths(list: Locator): Promise<number[]> {
  const headers = list.getByRole('columnheader');
  const widths: number[] = [];
  for (let i = 0; i < (await headers.count()); i++) {
    widths.push(Math.round((await headers.nth(i).boundingBox())?.width ?? -1));
  }
  return widths;
}

/** Whether the focused row lies wholly inside the list's visible area, below its header. */
async function focusedRowInView(page: Page): Promise<boolean> {
  const row = await page.locator('[data-vm-row]:focus').boundingBox();
  const scroller = page.locator('.vm-list-scroll');
  const box = await scroller.boundingBox();
  const header = await scroller.locator('thead').boundingBox();
  const clientHeight = await scroller.evaluate(
    (node: { clientHeight: number }) => node.clientHeight,
  );
  if (!row || !box || !header) return false;
  return row.y >= header.y + header.height - 1 && row.y + row.height <= box.y + clientHeight + 1;
}

test.describe('View menu', () => {
  test('Add/Remove Columns... removes a column and the choice stays after a reload', async ({
    manager,
    page,
    vm,
  }) => {
    const menuBar = new MenuBar(page);
    await expect(manager.vmRow(vm.name)).toBeVisible();
    await menuBar.choose('View', 'Add/Remove Columns...');
    const columns = new AddRemoveColumnsDialog(page);
    await expect(columns.column('Name')).toBeDisabled();
    await columns.column('Uptime').uncheck();
    await columns.column('Configuration Version').uncheck();
    await columns.press('OK');
    await expect(columns.dialog).toBeHidden();
    const headers = manager.vmList.getByRole('columnheader');
    const shown = [/^Name/, 'State', 'CPU Usage', 'Assigned Memory', 'Status'];
    await expect(headers).toHaveText(shown);

    await page.reload();
    await expect(manager.vmRow(vm.name)).toBeVisible();
    await expect(headers).toHaveText(shown);

    await menuBar.choose('View', 'Add/Remove Columns...');
    await columns.press('Restore Defaults');
    await columns.press('OK');
    await expect(headers).toHaveCount(7);
  });

  test('Customize... hides the console tree and the Action pane, and shows them again', async ({
    manager,
    page,
  }) => {
    const menuBar = new MenuBar(page);
    await menuBar.choose('View', 'Customize...');
    const customize = new CustomizeViewDialog(page);
    await customize.box('Console tree').uncheck();
    await customize.box('Action pane').uncheck();
    await customize.ok();
    await expect(manager.consoleTree).toBeHidden();
    await expect(manager.actions).toBeHidden();
    await menuBar.choose('View', 'Customize...');
    await customize.box('Console tree').check();
    await customize.box('Action pane').check();
    await customize.ok();
    await expect(manager.consoleTree).toBeVisible();
    await expect(manager.actions).toBeVisible();
  });

  test('Action mirrors the Actions pane for the selected VM, and Help > About opens', async ({
    manager,
    page,
    vm,
  }) => {
    const menuBar = new MenuBar(page);
    await manager.selectVm(vm.name);
    await menuBar.entry('Action').click();
    const paneCaptions = await manager
      .actionSection(vm.name)
      .getByRole('button')
      .filter({ hasNotText: vm.name })
      .allTextContents();
    const menuCaptions = await menuBar.menu('Action').getByRole('menuitem').allTextContents();
    expect(menuCaptions.filter((c) => c !== 'Refresh')).toEqual(paneCaptions);
    await page.keyboard.press('Escape');
    await menuBar.choose('Help', 'About Hyper-V Manager...');
    const about = manager.dialog('About Hyper-V Manager');
    await expect(about).toContainText('Hyper-V Manager for the web');
    await about.getByRole('button', { name: 'OK' }).click();
    await expect(about).toBeHidden();
  });
});

test.describe('layout at 1024x768', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('the Status column and the Actions pane stay usable; an error under a rename box widens no column', async ({
    manager,
    page,
    vm,
  }) => {
    await manager.selectVm(vm.name);
    const status = manager.vmCell(vm.name, 'Status');
    await expect(status).toHaveText('Operating normally');
    // The whole text is shown, not cut off.
    expect(
      await status.evaluate(
        (cell: { scrollWidth: number; clientWidth: number }) =>
          cell.scrollWidth <= cell.clientWidth,
      ),
    ).toBe(true);
    const actions = await manager.actions.boundingBox();
    expect(actions).not.toBeNull();
    expect((actions?.x ?? 0) + (actions?.width ?? 0)).toBeLessThanOrEqual(1024);
    await expect(manager.actionButton(vm.name, 'Settings...')).toBeInViewport();

    const before = await headerWidths(manager.vmList);
    await page.keyboard.press('F2');
    const box = manager.vmList.getByRole('textbox', { name: 'Virtual machine name' });
    await box.fill('');
    await page.keyboard.press('Enter');
    await expect(manager.vmList.getByRole('alert')).toContainText('cannot be empty');
    expect(await headerWidths(manager.vmList)).toEqual(before);
    await page.keyboard.press('Escape');
  });
});

test.describe('a long list', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('with 200 VMs, End, Page Up/Down and the arrows keep the selected row in view; no column moves', async ({
    manager,
    page,
    api,
    uniqueName,
  }) => {
    test.setTimeout(180_000);
    const made: VmDetail['id'][] = [];
    try {
      for (let start = 0; start < 199; start += 10) {
        const batch = Array.from({ length: Math.min(10, 199 - start) }, (_, i) =>
          api.createVm(uniqueName(`many-${String(start + i).padStart(3, '0')}`)),
        );
        for (const created of await Promise.all(batch)) made.push(created.id);
      }
      await page.reload();
      await expect(manager.vmList).toHaveAttribute('aria-rowcount', /^\d+$/);
      // The list is sorted by name: the first of these is near the top, the test's own VM below them.
      await manager.selectVm(uniqueName('many-000'));
      const before = await headerWidths(manager.vmList);

      await page.keyboard.press('End');
      await expect.poll(() => focusedRowInView(page)).toBe(true);
      expect(await headerWidths(manager.vmList)).toEqual(before);

      await page.keyboard.press('Home');
      await expect.poll(() => focusedRowInView(page)).toBe(true);
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('PageDown');
        await expect.poll(() => focusedRowInView(page)).toBe(true);
      }
      for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedRowInView(page)).toBe(true);
      await page.keyboard.press('PageUp');
      await expect.poll(() => focusedRowInView(page)).toBe(true);
      expect(await headerWidths(manager.vmList)).toEqual(before);
    } finally {
      for (const id of made) await api.deleteVm(id);
    }
  });
});

test.describe('a lost server', () => {
  test('a banner says the connection was lost; on reconnect it goes and the list is current again', async ({
    manager,
    page,
    api,
    server,
    vm,
  }) => {
    await expect(manager.vmRow(vm.name)).toBeVisible();
    const banner = page.getByRole('alert').filter({ hasText: 'connection to the host was lost' });
    await expect(banner).toBeHidden();
    await server.stop();
    try {
      await expect(banner).toBeVisible();
      await expect(manager.vmList).toHaveAttribute('aria-busy', 'true');
    } finally {
      await server.start();
    }
    await expect(banner).toBeHidden({ timeout: 30_000 });
    await expect(manager.vmList).not.toHaveAttribute('aria-busy', 'true');
    // Events flow again: a change made elsewhere shows without a reload.
    await api.action(vm.id, 'start');
    await manager.expectVmState(vm.name, 'Running');
  });
});
