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

/** The Edit Virtual Hard Disk wizard: its pages, Next/Previous/Finish and what each page asks. */
export class EditDiskWizard {
  readonly dialog: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Edit Virtual Hard Disk Wizard' });
  }

  /** The heading of the page shown (Before You Begin, Locate Disk, ...). */
  heading(name: string): Locator {
    return this.dialog.getByRole('heading', { name, exact: true });
  }

  async next(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Next >' }).click();
  }

  /** From Before You Begin: picks the disk on Locate Disk and goes on to Choose Action. */
  async locate(path: string): Promise<void> {
    await expect(this.heading('Before You Begin')).toBeVisible();
    await this.next();
    await expect(this.heading('Locate Disk')).toBeVisible();
    await this.dialog.getByRole('textbox', { name: 'Location' }).fill(path);
    await this.next();
    await expect(this.heading('Choose Action')).toBeVisible();
  }

  /** The actions Choose Action offers, in order. */
  actions(): Locator {
    return this.dialog
      .getByRole('radiogroup', { name: 'What do you want to do to the virtual hard disk?' })
      .locator('strong');
  }

  async choose(action: 'Compact' | 'Convert' | 'Expand' | 'Merge'): Promise<void> {
    await this.dialog.getByRole('radio', { name: new RegExp(`^${action}`) }).check();
    await this.next();
  }

  async expandTo(gigabytes: number): Promise<void> {
    await expect(this.heading('Configure Disk')).toBeVisible();
    await this.dialog.getByRole('spinbutton', { name: 'New size (GB)' }).fill(String(gigabytes));
    await this.next();
  }

  async convertTo(type: 'Fixed size' | 'Dynamically expanding', path: string): Promise<void> {
    await expect(this.heading('Configure Disk')).toBeVisible();
    await this.dialog.getByRole('radio', { name: type }).check();
    await this.dialog.getByRole('textbox', { name: 'New virtual hard disk' }).fill(path);
    await this.next();
  }

  /** On Summary: Finish, then the wizard closes when the edit is done. */
  async finish(): Promise<void> {
    await expect(this.heading('Summary')).toBeVisible();
    await this.dialog.getByRole('button', { name: 'Finish' }).click();
  }

  /** The wizard's failure box (the server's words under the summary line). */
  get error(): Locator {
    return this.dialog.getByRole('alert');
  }
}

/** The New Virtual Hard Disk wizard (New ▸ Hard Disk...). */
export class NewDiskWizard {
  readonly dialog: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New Virtual Hard Disk Wizard' });
  }

  async next(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Next >' }).click();
  }

  /** Walks the pages for a fixed or dynamic disk of `gigabytes` and finishes. */
  async create(options: {
    type: 'Fixed size' | 'Dynamically expanding';
    name: string;
    location: string;
    gigabytes: number;
  }): Promise<void> {
    await expect(this.dialog.getByRole('heading', { name: 'Before You Begin' })).toBeVisible();
    await this.next();
    await this.dialog.getByRole('radio', { name: options.type }).check();
    await this.next();
    await this.dialog.getByRole('textbox', { name: 'Name' }).fill(options.name);
    await this.dialog.getByRole('textbox', { name: 'Location' }).fill(options.location);
    await this.next();
    await this.dialog
      .getByRole('spinbutton', { name: 'Size (GB)' })
      .fill(String(options.gigabytes));
    await this.next();
    await expect(this.dialog.getByRole('heading', { name: 'Summary' })).toBeVisible();
    await this.dialog.getByRole('button', { name: 'Finish' }).click();
  }
}
