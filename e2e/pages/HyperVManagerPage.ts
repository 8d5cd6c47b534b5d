import { expect, type Locator, type Page } from '@playwright/test';

/** The main window: Virtual Machines list, Checkpoints tree, Actions pane. */
export class HyperVManagerPage {
  readonly vmList: Locator;
  readonly checkpointsTree: Locator;
  readonly actions: Locator;

  constructor(readonly page: Page) {
    this.vmList = page.getByRole('grid', { name: 'Virtual Machines' });
    this.checkpointsTree = page.getByRole('tree', { name: 'Checkpoints' });
    this.actions = page.getByRole('region', { name: 'Actions' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.vmList).toBeVisible();
  }

  vmRow(name: string): Locator {
    return this.vmList.getByRole('row').filter({ hasText: name });
  }

  async selectVm(name: string): Promise<void> {
    await this.vmRow(name).click();
    await expect(this.vmRow(name)).toHaveAttribute('aria-selected', 'true');
  }

  async openVmContextMenu(name: string): Promise<Locator> {
    await this.vmRow(name).click({ button: 'right' });
    const menu = this.page.getByRole('menu');
    await expect(menu).toBeVisible();
    return menu;
  }

  async chooseFromVmContextMenu(name: string, item: string): Promise<void> {
    const menu = await this.openVmContextMenu(name);
    await menu.getByRole('menuitem', { name: item, exact: true }).click();
  }

  checkpoint(name: string): Locator {
    return this.checkpointsTree.getByRole('treeitem', { name, exact: true });
  }

  get nowMarker(): Locator {
    return this.checkpointsTree.getByRole('treeitem', { name: 'Now', exact: true });
  }
}
