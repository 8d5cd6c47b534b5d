import { expect, type Locator, type Page } from '@playwright/test';
import type { HyperVManagerPage } from './HyperVManagerPage.js';

/** A checkpoint's context menu in the Checkpoints tree and the dialogs its commands open. */
export class CheckpointCommands {
  readonly page: Page;

  constructor(private readonly manager: HyperVManagerPage) {
    this.page = manager.page;
  }

  /** The checkpoint's own row label (its tree item also holds its children). */
  label(name: string): Locator {
    return this.manager.checkpoint(name).getByText(name, { exact: true }).first();
  }

  async openMenu(name: string): Promise<Locator> {
    await this.label(name).click({ button: 'right' });
    const menu = this.page.getByRole('menu', { name });
    await expect(menu).toBeVisible();
    return menu;
  }

  async choose(name: string, item: string): Promise<void> {
    const menu = await this.openMenu(name);
    await menu.getByRole('menuitem', { name: item, exact: true }).click();
  }

  get applyDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Apply Checkpoint' });
  }

  get deleteDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Delete Checkpoint' });
  }

  get renameBox(): Locator {
    return this.manager.checkpointsTree.getByRole('textbox', { name: 'Checkpoint name' });
  }

  /** Rename... then the new name and Enter, as in the tree of Hyper-V Manager. */
  async rename(name: string, newName: string): Promise<void> {
    await this.choose(name, 'Rename...');
    await expect(this.renameBox).toBeFocused();
    await this.renameBox.fill(newName);
    await this.renameBox.press('Enter');
    await expect(this.renameBox).toBeHidden();
    await expect(this.manager.checkpoint(newName)).toBeVisible();
  }
}
