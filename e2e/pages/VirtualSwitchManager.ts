import { expect, type Locator, type Page } from '@playwright/test';

/** Virtual Switch Manager for <host>: the switches on the left, the selected one's properties. */
export class VirtualSwitchManager {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Virtual Switch Manager/ });
  }

  /** An entry of the left list: "New virtual network switch" or a switch by its name. */
  entry(name: string): Locator {
    return this.dialog.getByRole('tab', { name, exact: true });
  }

  get name(): Locator {
    return this.dialog.getByRole('textbox', { name: 'Name:' });
  }

  get notes(): Locator {
    return this.dialog.getByRole('textbox', { name: 'Notes:' });
  }

  connectionType(caption: 'Internal network' | 'Private network' | 'External network'): Locator {
    return this.dialog.getByRole('radio', { name: caption, exact: true });
  }

  button(caption: 'OK' | 'Cancel' | 'Apply' | 'Remove' | 'Create Virtual Switch'): Locator {
    return this.dialog.getByRole('button', { name: caption, exact: true });
  }

  /** New virtual network switch → the type → Create Virtual Switch → its name and notes. */
  async createSwitch(type: 'Internal' | 'Private', name: string, notes = ''): Promise<void> {
    await this.entry('New virtual network switch').click();
    await this.dialog.getByRole('radio', { name: type, exact: true }).check();
    await this.button('Create Virtual Switch').click();
    await this.name.fill(name);
    if (notes !== '') await this.notes.fill(notes);
  }

  async ok(): Promise<void> {
    await this.button('OK').click();
    await expect(this.dialog).toBeHidden();
  }
}

/** Hyper-V Settings for <host>: Server (folders) and User (Keyboard). */
export class HyperVSettings {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Hyper-V Settings for / });
  }

  tab(caption: 'Virtual Hard Disks' | 'Virtual Machines' | 'Keyboard'): Locator {
    return this.dialog.getByRole('tab', { name: caption, exact: true });
  }

  get folder(): Locator {
    return this.dialog.getByRole('textbox');
  }

  keyboard(caption: string): Locator {
    return this.dialog.getByRole('radio', { name: caption, exact: true });
  }

  button(caption: 'OK' | 'Cancel' | 'Apply'): Locator {
    return this.dialog.getByRole('button', { name: caption, exact: true });
  }
}
