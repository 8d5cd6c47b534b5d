import { expect, type Locator, type Page } from '@playwright/test';

/** Virtual Machine Connection (Connect...): the guest's console with its live figures. */
export class VmConnectionDialog {
  readonly dialog: Locator;
  readonly guestConsole: Locator;
  readonly boot: Locator;

  constructor(
    readonly page: Page,
    vmName: string,
  ) {
    this.dialog = page.getByRole('dialog', { name: `${vmName} - Virtual Machine Connection` });
    this.guestConsole = this.dialog.getByLabel('Guest console');
    this.boot = this.dialog.getByTestId('console-boot');
  }

  async waitUntilRunning(): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.guestConsole).toBeVisible();
    await expect(this.guestConsole).toContainText('Committed transactions');
  }

  async close(): Promise<void> {
    await this.dialog.press('Escape');
    await expect(this.dialog).toBeHidden();
  }
}
