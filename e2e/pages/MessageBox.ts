import { expect, type Locator, type Page } from '@playwright/test';

/** A question or message box (Delete, Apply, Turn Off, errors): its text, buttons and failure line. */
export class MessageBox {
  readonly dialog: Locator;

  constructor(page: Page, title: string) {
    this.dialog = page.getByRole('dialog', { name: title, exact: true });
  }

  button(caption: string): Locator {
    return this.dialog.getByRole('button', { name: caption, exact: true });
  }

  /** The summary line and the server's own message, shown when the request fails. */
  get errorSummary(): Locator {
    return this.dialog.getByRole('alert');
  }

  async press(caption: string): Promise<void> {
    await this.button(caption).click();
    await expect(this.dialog).toBeHidden();
  }

  async cancel(): Promise<void> {
    await this.press('Cancel');
  }
}
