import { expect, type Locator, type Page } from '@playwright/test';

/** New > Virtual Machine...: name, generation, memory and the Quick Create gallery. */
export class NewVmWizard {
  readonly dialog: Locator;
  readonly gallery: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New Virtual Machine Wizard' });
    this.gallery = this.dialog.getByRole('radiogroup', { name: 'Operating system' });
  }

  get name(): Locator {
    return this.dialog.getByRole('textbox', { name: 'Name:' });
  }

  image(caption: string): Locator {
    return this.gallery.getByRole('radio', { name: caption });
  }

  async finish(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(this.dialog).toBeHidden();
  }
}
