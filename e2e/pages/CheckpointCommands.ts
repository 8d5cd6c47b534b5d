import { expect, type Locator, type Page } from '@playwright/test';
import { ContextMenu } from './ContextMenu.js';
import type { HyperVManagerPage } from './HyperVManagerPage.js';

export const CHECKPOINT_MENU = [
  'Settings...',
  'Apply...',
  'Export...',
  'Rename...',
  'Delete Checkpoint...',
  'Delete Checkpoint Subtree...',
  'Help',
] as const;

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

  /** Right-clicks the checkpoint; returns its menu. */
  async openContextMenu(name: string): Promise<ContextMenu> {
    await this.label(name).click({ button: 'right' });
    const menu = new ContextMenu(this.page, name);
    await expect(menu.menu).toBeVisible();
    return menu;
  }

  async openMenu(name: string): Promise<Locator> {
    return (await this.openContextMenu(name)).menu;
  }

  async choose(name: string, item: string): Promise<void> {
    const menu = await this.openContextMenu(name);
    await menu.choose(item);
  }

  /** Selects the checkpoint with a click: it gets the tree's focus and the Actions section. */
  async select(name: string): Promise<void> {
    await this.label(name).click();
    await expect(this.manager.checkpoint(name)).toHaveAttribute('aria-selected', 'true');
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
