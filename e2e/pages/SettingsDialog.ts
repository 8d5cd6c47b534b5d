import { expect, type Locator, type Page } from '@playwright/test';

/** Settings for <VM>, mostly its Management → Checkpoints page. */
export class SettingsDialog {
  readonly dialog: Locator;

  constructor(
    readonly page: Page,
    vmName: string,
  ) {
    this.dialog = page.getByRole('dialog', { name: `Settings for ${vmName}` });
  }

  async openCheckpointsPage(): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('tab', { name: 'Checkpoints' }).click();
    await expect(this.enableCheckpoints).toBeVisible();
  }

  get enableCheckpoints(): Locator {
    return this.dialog.getByRole('checkbox', { name: 'Enable checkpoints' });
  }

  get production(): Locator {
    return this.dialog.getByRole('radio', { name: 'Production checkpoints' });
  }

  get standard(): Locator {
    return this.dialog.getByRole('radio', { name: 'Standard checkpoints' });
  }

  get fallbackToStandard(): Locator {
    return this.dialog.getByRole('checkbox', {
      name: "Create standard checkpoints if it's not possible to create a production checkpoint",
    });
  }

  get location(): Locator {
    return this.dialog.getByRole('textbox', { name: 'Checkpoint File Location' });
  }

  get browse(): Locator {
    return this.dialog.getByRole('button', { name: 'Browse...' });
  }

  get automaticCheckpoints(): Locator {
    return this.dialog.getByRole('checkbox', { name: 'Use automatic checkpoints' });
  }

  button(caption: 'OK' | 'Cancel' | 'Apply'): Locator {
    return this.dialog.getByRole('button', { name: caption, exact: true });
  }

  async ok(): Promise<void> {
    await this.button('OK').click();
    await expect(this.dialog).toBeHidden();
  }

  async cancel(): Promise<void> {
    await this.button('Cancel').click();
    await expect(this.dialog).toBeHidden();
  }

  /** Apply saves and leaves the dialog open; it is greyed again once nothing is left to save. */
  async apply(): Promise<void> {
    await this.button('Apply').click();
    await expect(this.button('Apply')).toBeDisabled();
    await expect(this.dialog).toBeVisible();
  }
}
