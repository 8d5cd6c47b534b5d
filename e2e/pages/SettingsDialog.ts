import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Settings for <VM>: its left list (items with their summary lines) and pages, mostly Management →
 * Checkpoints; `SettingsDialog.forTitle` finds a checkpoint's read-only one by its whole title.
 */
export class SettingsDialog {
  readonly dialog: Locator;

  constructor(
    readonly page: Page,
    vmName: string,
    dialog?: Locator,
  ) {
    this.dialog = dialog ?? page.getByRole('dialog', { name: `Settings for ${vmName}` });
  }

  /** A Settings dialog with exactly this title (a checkpoint's: "Settings for <checkpoint> on <host>"). */
  static forTitle(page: Page, title: string): SettingsDialog {
    return new SettingsDialog(page, title, page.getByRole('dialog', { name: title, exact: true }));
  }

  /** An item of the left list ("Memory", "Hard Drive"...), by its caption. */
  item(caption: string): Locator {
    return this.dialog.getByRole('tab', { name: caption, exact: true });
  }

  /** The captions of the left list, top to bottom. */
  async itemCaptions(): Promise<string[]> {
    const items = await this.dialog.getByRole('tab').all();
    return Promise.all(items.map(async (item) => (await item.getAttribute('aria-label')) ?? ''));
  }

  async openPage(caption: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.item(caption).click();
    await expect(this.dialog.getByRole('tabpanel', { name: caption })).toBeVisible();
  }

  get panel(): Locator {
    return this.dialog.getByRole('tabpanel');
  }

  /** Every item of the left list with this caption (two "Network Adapter"s, two "SCSI Controller"s). */
  items(caption: string): Locator {
    return this.dialog.getByRole('tab', { name: caption, exact: true });
  }

  /** The item of the left list that is selected now. */
  get selectedItem(): Locator {
    return this.dialog.locator('[role="tab"][aria-selected="true"]');
  }

  /** Add Hardware: chooses the device and clicks Add; the new item is selected. */
  async addHardware(device: string): Promise<void> {
    await this.openPage('Add Hardware');
    await this.panel.getByRole('listbox').selectOption(device);
    await this.panel.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(this.selectedItem).toHaveAccessibleName(device);
  }

  /** A button of the page shown ("Remove", "Add"). */
  pageButton(caption: string): Locator {
    return this.panel.getByRole('button', { name: caption, exact: true });
  }

  /** A new hard drive's "Virtual hard disk:" box. */
  get virtualHardDisk(): Locator {
    return this.panel.getByRole('textbox', { name: 'Virtual hard disk:' });
  }

  checkbox(name: string): Locator {
    return this.panel.getByRole('checkbox', { name, exact: true });
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
