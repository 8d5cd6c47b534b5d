import { expect, type Locator, type Page } from '@playwright/test';

/** Settings for <VM>: the Management → Checkpoints page. */
export class SettingsDialog {
  readonly dialog: Locator;

  constructor(page: Page, vmName: string) {
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

  async ok(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }
}
