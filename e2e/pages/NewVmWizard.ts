import { expect, type Locator, type Page } from '@playwright/test';

/** The wizard's pages, in the order Hyper-V Manager lists them on the left. */
export type NewVmWizardPage =
  | 'Before You Begin'
  | 'Specify Name and Location'
  | 'Specify Generation'
  | 'Assign Memory'
  | 'Configure Networking'
  | 'Connect Virtual Hard Disk'
  | 'Installation Options'
  | 'Summary';

/**
 * New > Virtual Machine...: the New Virtual Machine Wizard, found by its roles and names as a user
 * sees them: the page list (a navigation of buttons), the page shown (a region named after it),
 * each field by its label, and a field's problem as the alert beside it.
 */
export class NewVmWizard {
  readonly dialog: Locator;
  readonly pages: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New Virtual Machine Wizard' });
    this.pages = this.dialog.getByRole('navigation', { name: 'Wizard pages' });
  }

  /** The page on show, by its title. */
  page(title: NewVmWizardPage): Locator {
    return this.dialog.getByRole('region', { name: title });
  }

  /** Opens a page from the list on the left (it stays put while an earlier page has a problem). */
  async goTo(title: NewVmWizardPage): Promise<void> {
    await this.pages.getByRole('button', { name: title, exact: true }).click();
    await expect(this.page(title)).toBeVisible();
  }

  async next(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Next >' }).click();
  }

  async previous(): Promise<void> {
    await this.dialog.getByRole('button', { name: '< Previous' }).click();
  }

  get name(): Locator {
    return this.page('Specify Name and Location').getByRole('textbox', { name: 'Name:' });
  }

  generation(n: 1 | 2): Locator {
    return this.page('Specify Generation').getByRole('radio', { name: `Generation ${n}` });
  }

  get memory(): Locator {
    return this.page('Assign Memory').getByRole('textbox', { name: 'Startup memory (MB):' });
  }

  get dynamicMemory(): Locator {
    return this.page('Assign Memory').getByRole('checkbox', {
      name: 'Use Dynamic Memory for this virtual machine.',
    });
  }

  /** Connect Virtual Hard Disk's three choices, by caption. */
  diskChoice(
    caption:
      | 'Create a virtual hard disk'
      | 'Use an existing virtual hard disk'
      | 'Attach a virtual hard disk later',
  ): Locator {
    return this.page('Connect Virtual Hard Disk').getByRole('radio', { name: caption });
  }

  get newDiskName(): Locator {
    return this.page('Connect Virtual Hard Disk').getByRole('textbox', { name: 'Name:' });
  }

  get newDiskLocation(): Locator {
    return this.page('Connect Virtual Hard Disk').getByRole('textbox', { name: 'Location:' });
  }

  get newDiskSize(): Locator {
    return this.page('Connect Virtual Hard Disk').getByRole('textbox', { name: 'Size (GB):' });
  }

  /** The existing disk's path (a combo box listing the host's free disks). */
  get existingDisk(): Locator {
    return this.page('Connect Virtual Hard Disk').getByRole('combobox', { name: 'Location:' });
  }

  /** Installation Options' choices: "Install an operating system later" and the gallery. */
  get gallery(): Locator {
    return this.page('Installation Options').getByRole('radiogroup', { name: 'Operating system' });
  }

  image(caption: string): Locator {
    return this.gallery.getByRole('radio', { name: caption });
  }

  /** The problems shown on a page, beside their fields. */
  problems(title: NewVmWizardPage): Locator {
    return this.page(title).getByRole('alert');
  }

  /** The Summary page's value for a term ("Name:", "Hard Disk:", ...). */
  summary(term: string): Locator {
    return this.page('Summary')
      .getByRole('term')
      .filter({ hasText: term })
      .locator('xpath=following-sibling::dd');
  }

  async finish(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(this.dialog).toBeHidden();
  }
}
