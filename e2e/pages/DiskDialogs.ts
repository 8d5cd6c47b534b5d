import { expect, type Locator, type Page } from '@playwright/test';

/** Export Virtual Machine: the folder box and Export/Cancel. */
export class ExportDialog {
  readonly dialog: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Export Virtual Machine' });
  }

  get location(): Locator {
    return this.dialog.getByRole('textbox', { name: 'Export location' });
  }

  async exportTo(folder: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.location.fill(folder);
    await this.dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}

/** Inspect Disk: the host's disk files and the Virtual Hard Disk Properties of the chosen one. */
export class InspectDiskDialog {
  readonly dialog: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Inspect Disk' });
  }

  async inspect(path: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('button', { name: path, exact: true }).click();
  }

  property(name: string): Locator {
    return this.dialog.getByTestId(`disk-property-${name.toLowerCase().replace(/ /g, '-')}`);
  }

  async inspectParent(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Inspect Parent' }).click();
  }
}
