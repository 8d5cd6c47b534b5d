import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VmDetail } from '@hvm/engine';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SettingsForm } from './SettingsDialog';
import { SHIELDING_NOT_SIMULATED } from './SecurityPage';

const DRIVES = [
  {
    controllerLocation: 'SCSI 0:0',
    path: 'Virtual Hard Disks/Web Server.vhdx',
    chain: ['Virtual Hard Disks/Web Server.vhdx'],
    virtualSizeBytes: 1024 ** 3,
  },
  {
    controllerLocation: 'SCSI 0:1',
    path: 'Data/logs.vhdx',
    chain: ['Data/logs.vhdx'],
    virtualSizeBytes: 1024 ** 3,
  },
];

const FIRMWARE = {
  secureBootEnabled: true,
  secureBootTemplate: 'MicrosoftWindows' as const,
  bootOrder: DRIVES.map((d) => ({
    device: 'HardDiskDrive' as const,
    controllerLocation: d.controllerLocation,
    path: d.path,
  })),
  startupOrder: ['CD' as const, 'IDE' as const, 'LegacyNetworkAdapter' as const, 'Floppy' as const],
  numLockEnabled: false,
};

const SECURITY = { tpmEnabled: false, encryptStateAndVmMigrationTraffic: false, shielded: false };

function openSettings(overrides: Partial<VmDetail> = {}) {
  const vm = aVm({
    hardDrives: DRIVES,
    firmware: FIRMWARE,
    security: SECURITY,
    notes: '',
    ...overrides,
  });
  const server = fakeServer({
    [`PATCH /vms/${vm.id}`]: ({ body }: { body: unknown }) => ({
      body: { ...vm, ...(body as object) },
    }),
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`POST /vms/${vm.id}/scsi-controllers`]: vm,
    [`POST /vms/${vm.id}/network-adapters`]: vm,
    'GET /host': { name: 'HOST', vmCount: 1, maxCheckpointsPerVm: 50, logicalProcessorCount: 4 },
  });
  const onClose = vi.fn();
  renderWithClient(<SettingsForm vm={vm} onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
  const patches = () => server.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);
  return { server, onClose, dialog, patches, user: userEvent.setup() };
}

const tabNames = (dialog: HTMLElement) =>
  within(dialog)
    .getAllByRole('tab')
    .map((tab) => tab.getAttribute('aria-label'));

describe('Settings: the left list', () => {
  it("lists a generation 2 VM's items in Hyper-V Manager's order, the drives under their controller", () => {
    const { dialog } = openSettings();
    expect(tabNames(dialog)).toEqual([
      'Add Hardware',
      'Firmware',
      'Security',
      'Memory',
      'Processor',
      'SCSI Controller',
      'Hard Drive',
      'Hard Drive',
      'Network Adapter',
      'Name',
      'Integration Services',
      'Checkpoints',
      'Automatic Start Action',
      'Automatic Stop Action',
      // Not Hyper-V's: the simulation's own group comes last.
      'Guest (simulation)',
    ]);
  });

  it('shows the one-line summary under each item, as Hyper-V Manager does', () => {
    const { dialog } = openSettings({ memoryStartupMB: 2048 });
    const tab = (name: string) => within(dialog).getByRole('tab', { name });
    expect(tab('Memory')).toHaveAccessibleDescription('2048 MB');
    expect(tab('Processor')).toHaveAccessibleDescription('1 Virtual processor');
    expect(tab('Firmware')).toHaveAccessibleDescription('Boot from Hard Drive');
    expect(tab('Security')).toHaveAccessibleDescription('Secure Boot enabled');
    expect(tab('Name')).toHaveAccessibleDescription('Web Server');
    expect(tab('Checkpoints')).toHaveAccessibleDescription('Production');
    expect(tab('Integration Services')).toHaveAccessibleDescription('Some services offered');
    expect(tab('Network Adapter')).toHaveAccessibleDescription('Not connected');
    const drives = within(dialog).getAllByRole('tab', { name: 'Hard Drive' });
    expect(drives.map((d) => d.textContent)).toEqual([
      'Hard DriveWeb Server.vhdx',
      'Hard Drivelogs.vhdx',
    ]);
  });

  it('a generation 1 VM has BIOS and both IDE controllers, even one without drives; no Security', () => {
    const { dialog } = openSettings({
      generation: 1,
      hardDrives: DRIVES.slice(0, 1).map((d) => ({ ...d, controllerLocation: 'IDE 0:0' })),
    });
    const names = tabNames(dialog);
    expect(names.slice(0, 7)).toEqual([
      'Add Hardware',
      'BIOS',
      'Memory',
      'Processor',
      'IDE Controller 0',
      'Hard Drive',
      'IDE Controller 1',
    ]);
    expect(names).not.toContain('Security');
    expect(within(dialog).getByRole('tab', { name: 'BIOS' })).toHaveAccessibleDescription(
      'Boot from CD',
    );
  });

  it('is one tab stop: Down, Up, Home and End move the selection and the focus', async () => {
    const { dialog, user } = openSettings();
    const tabs = within(dialog).getAllByRole('tab');
    expect(tabs.filter((t) => t.tabIndex === 0).map((t) => t.getAttribute('aria-label'))).toEqual([
      'Memory',
    ]);
    // The dialog opens with the focus on the selected item.
    expect(within(dialog).getByRole('tab', { name: 'Memory' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    const processor = within(dialog).getByRole('tab', { name: 'Processor' });
    expect(processor).toHaveFocus();
    expect(processor).toHaveAttribute('aria-selected', 'true');
    expect(within(dialog).getByRole('tabpanel', { name: 'Processor' })).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(within(dialog).getByRole('tab', { name: 'Guest (simulation)' })).toHaveFocus();
    await user.keyboard('{Home}');
    expect(within(dialog).getByRole('tab', { name: 'Add Hardware' })).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(within(dialog).getByRole('tab', { name: 'Add Hardware' })).toHaveFocus();
    expect(
      within(dialog)
        .getAllByRole('tab')
        .filter((t) => t.tabIndex === 0),
    ).toHaveLength(1);
  });
});

describe('Settings: Firmware, Security, SCSI Controller, Add Hardware and Notes', () => {
  it('Move Down on the Firmware page sends the new boot order', async () => {
    const { dialog, user, patches, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Firmware' }));
    const list = within(dialog).getByRole('listbox', { name: 'Boot order' });
    expect(
      within(list)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Hard Drive  SCSI 0:0  Web Server.vhdx', 'Hard Drive  SCSI 0:1  logs.vhdx']);
    await user.click(within(dialog).getByRole('button', { name: 'Move Down' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches()).toEqual([{ firmware: { bootOrder: ['SCSI 0:1', 'SCSI 0:0'] } }]);
  });

  it('the Security page turns Secure Boot off and the TPM on; shielding stays off, with the reason', async () => {
    const { dialog, user, patches, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Security' }));
    const secureBoot = within(dialog).getByRole('checkbox', { name: 'Enable Secure Boot' });
    expect(secureBoot).toBeChecked();
    expect(within(dialog).getByRole('combobox', { name: 'Template:' })).toHaveDisplayValue(
      'Microsoft Windows',
    );
    const shielding = within(dialog).getByRole('checkbox', { name: 'Enable Shielding' });
    expect(shielding).toBeDisabled();
    expect(shielding).toHaveAccessibleDescription(SHIELDING_NOT_SIMULATED);
    await user.click(secureBoot);
    expect(within(dialog).getByRole('combobox', { name: 'Template:' })).toBeDisabled();
    expect(within(dialog).getByRole('tab', { name: 'Security' })).toHaveAccessibleDescription(
      'Secure Boot disabled',
    );
    await user.click(
      within(dialog).getByRole('checkbox', { name: 'Enable Trusted Platform Module' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches()).toEqual([
      { firmware: { secureBootEnabled: false }, security: { tpmEnabled: true } },
    ]);
  });

  it('a running VM has the Firmware and Security pages greyed out; Add Hardware offers only a hot-added network adapter', async () => {
    const { dialog, user } = openSettings({ state: 'Running' });
    await user.click(within(dialog).getByRole('tab', { name: 'Security' }));
    expect(within(dialog).getByRole('checkbox', { name: 'Enable Secure Boot' })).toBeDisabled();
    await user.click(within(dialog).getByRole('tab', { name: 'Firmware' }));
    expect(within(dialog).getByRole('button', { name: 'Move Down' })).toBeDisabled();
    await user.click(within(dialog).getByRole('tab', { name: 'Add Hardware' }));
    const list = within(dialog).getByRole('listbox');
    expect(within(dialog).getByRole('button', { name: 'Add' })).toBeDisabled();
    expect(list).toHaveAccessibleDescription(
      'SCSI controllers can be added only while the virtual machine is off.',
    );
    await user.selectOptions(list, 'Network Adapter');
    expect(within(dialog).getByRole('button', { name: 'Add' })).toBeEnabled();
  });

  it('the SCSI Controller page lists its drives with their location numbers', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'SCSI Controller' }));
    const rows = within(dialog).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'Hard Drive0Virtual Hard Disks/Web Server.vhdx',
      'Hard Drive1Data/logs.vhdx',
    ]);
  });

  it('Add Hardware lists the devices; those this host cannot provide are disabled, with why', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Add Hardware' }));
    const list = within(dialog).getByRole('listbox');
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => [o.textContent, (o as HTMLOptionElement).disabled])).toEqual([
      ['SCSI Controller', false],
      ['Network Adapter', false],
      ['Fibre Channel Adapter', true],
      ['RemoteFX 3D Video Adapter', true],
    ]);
    expect(
      within(dialog).getByRole('list', { name: 'Devices this host cannot add' }),
    ).toHaveTextContent('Fibre Channel Adapter: This host has no virtual SAN');
  });

  it('Add puts the new device in the list and selects it; OK adds it on the host', async () => {
    const { dialog, user, server, onClose } = openSettings();
    const vmId = aVm().id;
    await user.click(within(dialog).getByRole('tab', { name: 'Add Hardware' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(within(dialog).getAllByRole('tab', { name: 'SCSI Controller' })).toHaveLength(2);
    expect(within(dialog).getByRole('tabpanel')).toHaveAccessibleName('SCSI Controller');
    await user.click(within(dialog).getByRole('tab', { name: 'Add Hardware' }));
    await user.selectOptions(within(dialog).getByRole('listbox'), 'Network Adapter');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(within(dialog).getAllByRole('tab', { name: 'Network Adapter' })).toHaveLength(2);
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body])).toEqual(
      [
        [`/vms/${vmId}/network-adapters`, { isLegacy: false, switchId: null }],
        [`/vms/${vmId}/scsi-controllers`, {}],
      ],
    );
  });

  it('Notes on the Name page are sent with OK', async () => {
    const { dialog, user, patches, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Name' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Notes:' }), 'web tier');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches()).toEqual([{ notes: 'web tier' }]);
  });
});
