import { expect, type Locator, type Page } from '@playwright/test';
import { ContextMenu } from './ContextMenu.js';

/** The Virtual Machines list's columns, in order. */
const VM_COLUMNS = [
  'Name',
  'State',
  'CPU Usage',
  'Assigned Memory',
  'Uptime',
  'Status',
  'Configuration Version',
] as const;
export type VmColumn = (typeof VM_COLUMNS)[number];

/** The main window: console tree, Virtual Machines list, Checkpoints tree, Actions pane. */
export class HyperVManagerPage {
  readonly vmList: Locator;
  readonly checkpointsTree: Locator;
  readonly actions: Locator;
  readonly consoleTree: Locator;
  readonly statusBar: Locator;
  readonly details: Locator;

  constructor(readonly page: Page) {
    this.vmList = page.getByRole('grid', { name: 'Virtual Machines' });
    this.checkpointsTree = page.getByRole('tree', { name: 'Checkpoints' });
    this.actions = page.getByRole('region', { name: 'Actions' });
    this.consoleTree = page.getByRole('navigation', { name: 'Console tree' });
    this.statusBar = page.getByRole('status');
    this.details = page.locator('.details-body');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.vmList).toBeVisible();
  }

  /** The VM's row: the one whose Name cell is exactly `name`. */
  vmRow(name: string): Locator {
    return this.vmList
      .getByRole('row')
      .filter({ has: this.page.getByRole('gridcell', { name, exact: true }) });
  }

  vmCell(name: string, column: VmColumn): Locator {
    return this.vmRow(name).getByRole('gridcell').nth(VM_COLUMNS.indexOf(column));
  }

  async selectVm(name: string): Promise<void> {
    await this.vmRow(name).click();
    await expect(this.vmRow(name)).toHaveAttribute('aria-selected', 'true');
  }

  async openVmContextMenu(name: string): Promise<Locator> {
    await this.vmRow(name).click({ button: 'right' });
    const menu = this.page.getByRole('menu', { name, exact: true });
    await expect(menu).toBeVisible();
    return menu;
  }

  /** The open context menu titled `label` (the VM's, the checkpoint's or the host's name). */
  contextMenu(label: string): ContextMenu {
    return new ContextMenu(this.page, label);
  }

  async chooseFromVmContextMenu(name: string, item: string): Promise<void> {
    const menu = await this.openVmContextMenu(name);
    await menu.getByRole('menuitem', { name: item, exact: true }).click();
  }

  /** Waits until the list shows the VM in `state` with nothing in progress. */
  async expectVmState(name: string, state: string): Promise<void> {
    await expect(this.vmCell(name, 'State')).toHaveText(state);
    await expect(this.vmCell(name, 'Status')).toHaveText('Operating normally');
  }

  checkpoint(name: string): Locator {
    return this.checkpointsTree.getByRole('treeitem', { name, exact: true });
  }

  get nowMarker(): Locator {
    return this.checkpointsTree.getByRole('treeitem', { name: 'Now', exact: true });
  }

  /** What the Checkpoints pane says for a VM without checkpoints. */
  get noCheckpoints(): Locator {
    return this.page.getByText('The selected virtual machine has no checkpoints.');
  }

  /** This server's node in the console tree (under "Hyper-V Manager"). */
  get hostNode(): Locator {
    return this.consoleTree.getByTestId('host-node');
  }

  /**
   * The node of the server added at `address` (host:port as typed in Connect to Server...): the
   * user's connections persist, so other tests' servers may be in the tree too.
   */
  serverNode(address: string): Locator {
    return this.consoleTree.locator(`[data-testid="server-node"][data-address="${address}"]`);
  }

  /** The "Hyper-V Manager" root of the console tree. */
  get managerNode(): Locator {
    return this.consoleTree.getByTestId('manager-node');
  }

  /** A section of the Actions pane: the host's, the selected VM's or the selected checkpoint's. */
  actionSection(title: string): Locator {
    return this.actions.getByRole('region', { name: title, exact: true });
  }

  actionButton(section: string, caption: string): Locator {
    return this.actionSection(section).getByRole('button', { name: caption, exact: true });
  }

  dialog(title: string): Locator {
    return this.page.getByRole('dialog', { name: title, exact: true });
  }
}
