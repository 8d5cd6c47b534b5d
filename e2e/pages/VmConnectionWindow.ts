import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Virtual Machine Connection for one VM: a window beside Hyper-V Manager (not modal) titled
 * "<VM> on <host> - Virtual Machine Connection", with its menu bar, toolbar, screen and status.
 */
export class VmConnectionWindow {
  readonly window: Locator;
  readonly menuBar: Locator;
  readonly toolbar: Locator;
  /** The VM's screen: the guest's console, or the message of an Off or Saved VM. */
  readonly screen: Locator;
  readonly guestConsole: Locator;
  readonly consoleOutput: Locator;
  readonly boot: Locator;
  readonly status: Locator;
  /** A QEMU guest's serial console (xterm.js), and the rows of text it shows. */
  readonly serialConsole: Locator;
  readonly serialConsoleText: Locator;

  constructor(
    readonly page: Page,
    vmName: string,
  ) {
    this.window = page.getByRole('dialog', {
      name: new RegExp(`^${escapeRegExp(vmName)} on .+ - Virtual Machine Connection$`),
    });
    this.menuBar = this.window.getByRole('menubar');
    this.toolbar = this.window.getByRole('toolbar');
    this.screen = this.window.getByRole('group', { name: 'Guest screen' });
    this.guestConsole = this.window.getByRole('group', { name: 'Guest console' });
    this.consoleOutput = this.window.getByRole('log', { name: 'Console output' });
    this.boot = this.window.getByTestId('console-boot');
    this.status = this.window.getByText(/^Status: /);
    this.serialConsole = this.window.getByRole('group', { name: 'Serial console' });
    this.serialConsoleText = this.serialConsole.locator('.xterm-rows');
  }

  /** The drop-down menu `caption` of the menu bar (File, Action, Media, Clipboard, View, Help). */
  menu(caption: string): Locator {
    return this.window.getByRole('menu', { name: caption });
  }

  /** Opens menu `menu` with a click and chooses `item` (its caption, without the shortcut; a
   * check-mark item such as View > Toolbar too). */
  async choose(menu: string, item: string): Promise<void> {
    await this.menuBar.getByRole('menuitem', { name: menu, exact: true }).click();
    const name = new RegExp(`^${escapeRegExp(item)}`);
    const entries = this.menu(menu);
    await entries
      .getByRole('menuitem', { name })
      .or(entries.getByRole('menuitemcheckbox', { name }))
      .click();
    await expect(this.menu(menu)).toBeHidden();
  }

  /** Drags the window by its title bar by (dx, dy) pixels. */
  async moveBy(dx: number, dy: number): Promise<void> {
    const title = this.window.locator('.vm-connection-titlebar');
    const box = await title.boundingBox();
    if (!box) throw new Error('The window has no title bar on screen.');
    const x = box.x + box.width / 3;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2);
    await this.page.mouse.move(x + dx, y + dy);
    await this.page.mouse.up();
  }

  /** The Start button an Off or Saved VM's screen shows. */
  get startButton(): Locator {
    return this.screen.getByRole('button', { name: 'Start', exact: true });
  }

  async waitUntilRunning(): Promise<void> {
    await expect(this.window).toBeVisible();
    await expect(this.guestConsole).toBeVisible();
    await expect(this.guestConsole).toContainText('Committed transactions');
  }

  /** Its close button in the title bar (Esc does not close it). */
  async close(): Promise<void> {
    await this.window.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.window).toBeHidden();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
