import { expect, type Locator, type Page } from '@playwright/test';

export type MenuBarMenu = 'File' | 'Action' | 'View' | 'Help';

/** The console's menu bar (File, Action, View, Help) and the menu open under it. */
export class MenuBar {
  readonly bar: Locator;

  constructor(readonly page: Page) {
    this.bar = page.getByRole('menubar', { name: 'Menu bar' });
  }

  /** The menu bar's own entry, e.g. "Action". */
  entry(menu: MenuBarMenu): Locator {
    return this.bar.getByRole('menuitem', { name: menu, exact: true });
  }

  /** The open drop-down menu of `menu`. */
  menu(menu: MenuBarMenu): Locator {
    return this.page.getByRole('menu', { name: menu, exact: true });
  }

  item(menu: MenuBarMenu, caption: string): Locator {
    return this.menu(menu).getByRole('menuitem', { name: caption, exact: true });
  }

  /** Opens `menu` with the mouse and chooses `caption`. */
  async choose(menu: MenuBarMenu, caption: string): Promise<void> {
    await this.entry(menu).click();
    await expect(this.menu(menu)).toBeVisible();
    await this.item(menu, caption).click();
    await expect(this.menu(menu)).toBeHidden();
  }

  /**
   * Opens `menu` with Alt + its letter and walks with Down to `caption`, then Enter: a run by
   * keyboard only, as in Windows.
   */
  async chooseByKeyboard(menu: MenuBarMenu, caption: string): Promise<void> {
    await this.page.keyboard.press(`Alt+${menu[0]?.toLowerCase() ?? ''}`);
    const open = this.menu(menu);
    await expect(open).toBeVisible();
    const target = this.item(menu, caption);
    await expect(target).toBeVisible();
    const captions = await open.getByRole('menuitem').allTextContents();
    const steps = captions.indexOf(caption);
    if (steps < 0) throw new Error(`${menu} has no "${caption}": ${captions.join(', ')}`);
    for (let i = 0; i < steps; i++) await this.page.keyboard.press('ArrowDown');
    await expect(target).toBeFocused();
    await this.page.keyboard.press('Enter');
    await expect(open).toBeHidden();
  }
}

/** View > Add/Remove Columns...: a check box per column of the Virtual Machines list. */
export class AddRemoveColumnsDialog {
  readonly dialog: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Add/Remove Columns', exact: true });
  }

  column(header: string): Locator {
    return this.dialog.getByRole('checkbox', { name: header, exact: true });
  }

  async press(caption: 'OK' | 'Cancel' | 'Restore Defaults'): Promise<void> {
    await this.dialog.getByRole('button', { name: caption, exact: true }).click();
  }
}

/** View > Customize...: show or hide the console tree, the Action pane and the status bar. */
export class CustomizeViewDialog {
  readonly dialog: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Customize View', exact: true });
  }

  box(caption: 'Console tree' | 'Action pane' | 'Status bar'): Locator {
    return this.dialog.getByRole('checkbox', { name: caption, exact: true });
  }

  async ok(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}
