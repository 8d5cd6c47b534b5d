import { expect, type Locator, type Page } from '@playwright/test';
import { ContextMenu } from './ContextMenu.js';
import type { HyperVManagerPage } from './HyperVManagerPage.js';

/** Connect to Server...: Select Computer, the fingerprint to confirm, then the credentials. */
export class ConnectToServerDialog {
  private readonly page: Page;

  constructor(private readonly manager: HyperVManagerPage) {
    this.page = manager.page;
  }

  get selectComputer(): Locator {
    return this.page.getByRole('dialog', { name: 'Select Computer' });
  }

  get connect(): Locator {
    return this.page.getByRole('dialog', { name: 'Connect to Server' });
  }

  get fingerprint(): Locator {
    return this.connect.getByTestId('server-fingerprint');
  }

  /** Right-click on "Hyper-V Manager", Connect to Server... . */
  async open(): Promise<void> {
    await this.manager.managerNode.getByText('Hyper-V Manager', { exact: true }).click({
      button: 'right',
    });
    await new ContextMenu(this.page, 'Hyper-V Manager').choose('Connect to Server...');
    await expect(this.selectComputer).toBeVisible();
  }

  /** Types the address and asks the server who it is; returns the fingerprint it shows. */
  async enterAddress(address: string): Promise<string> {
    await this.selectComputer.getByRole('textbox').fill(address);
    await this.selectComputer.getByRole('button', { name: 'OK' }).click();
    await expect(this.fingerprint).toBeVisible();
    return (await this.fingerprint.textContent()) ?? '';
  }

  async confirmFingerprint(): Promise<void> {
    await this.connect.getByRole('button', { name: 'Yes' }).click();
  }

  async signIn(userName: string, password: string): Promise<void> {
    await this.connect.getByLabel('User name:').fill(userName);
    await this.connect.getByLabel('Password:').fill(password);
    await this.connect.getByRole('button', { name: 'OK' }).click();
    await expect(this.connect).toBeHidden();
  }
}
