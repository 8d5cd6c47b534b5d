import { expect, type Locator, type Page } from '@playwright/test';

/** An open pop-up menu, named after what it acts on. */
export class ContextMenu {
  readonly menu: Locator;

  constructor(page: Page, label: string) {
    this.menu = page.getByRole('menu', { name: label, exact: true });
  }

  item(caption: string): Locator {
    return this.menu.getByRole('menuitem', { name: caption, exact: true });
  }

  /** Every item, in order, is shown, and exactly the `enabled` ones can be chosen. */
  async expectItems(all: readonly string[], enabled: readonly string[]): Promise<void> {
    await expect(this.menu).toBeVisible();
    await expect(this.menu.getByRole('menuitem')).toHaveText([...all]);
    for (const caption of all) {
      if (enabled.includes(caption)) await expect(this.item(caption)).toBeEnabled();
      else await expect(this.item(caption)).toBeDisabled();
    }
  }

  async choose(caption: string): Promise<void> {
    await this.item(caption).click();
    await expect(this.menu).toBeHidden();
  }

  async close(): Promise<void> {
    await this.menu.press('Escape');
    await expect(this.menu).toBeHidden();
  }
}
