import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '@hvm/engine';
import { aCheckpoint, aVm, checkpointId, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { useUiStore } from '../../stores/uiStore';
import { CheckpointSettingsDialog } from './CheckpointSettingsDialog';

const vm = aVm({
  state: 'Running',
  memoryStartupMB: 4096,
  hardDrives: [
    {
      controllerLocation: 'SCSI 0:0',
      path: 'Virtual Hard Disks/Web Server_AAAA.avhdx',
      chain: ['Virtual Hard Disks/Web Server_AAAA.avhdx', 'Virtual Hard Disks/Web Server.vhdx'],
      virtualSizeBytes: 1024 ** 3,
    },
  ],
});

const checkpoint: Checkpoint = {
  ...aCheckpoint({ id: checkpointId('c1'), name: 'Before update', vmId: vm.id }),
  hardDrives: ['Virtual Hard Disks/Web Server.vhdx'],
  settings: {
    networkAdapters: [
      {
        id: '33333333-3333-4333-8333-333333333333',
        name: 'Network Adapter',
        isLegacy: false,
        switchId: null,
        switchName: null,
        macAddress: '00155D010203',
        dynamicMacAddressEnabled: true,
      },
    ],
    scsiControllers: [{ controllerNumber: 0 }],
    generation: 2,
    memoryStartupMB: 2048,
    hardware: {
      processorCount: 2,
      dynamicMemoryEnabled: false,
      memoryMinimumMB: 512,
      memoryMaximumMB: 1_048_576,
      memoryBufferPercent: 20,
      memoryWeight: 50,
    },
    integrationServices: vm.integrationServices,
    firmware: {
      secureBootEnabled: false,
      secureBootTemplate: 'MicrosoftWindows',
      bootOrder: [
        {
          device: 'HardDiskDrive',
          controllerLocation: 'SCSI 0:0',
          path: 'Virtual Hard Disks/Web Server.vhdx',
        },
      ],
      startupOrder: ['CD', 'IDE', 'LegacyNetworkAdapter', 'Floppy'],
      numLockEnabled: false,
    },
    security: { tpmEnabled: true, encryptStateAndVmMigrationTraffic: false, shielded: false },
    hardDrives: [
      {
        controllerLocation: 'SCSI 0:0',
        path: 'Virtual Hard Disks/Web Server.vhdx',
        virtualSizeBytes: 1024 ** 3,
      },
    ],
  },
};

function openCheckpointSettings() {
  const server = fakeServer({
    'GET /host': host,
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints/c1`]: checkpoint,
  });
  useUiStore.setState({
    dialog: { kind: 'checkpoint-settings', vmId: vm.id, checkpointId: checkpointId('c1') },
  });
  renderWithClient(<CheckpointSettingsDialog vmId={vm.id} checkpointId={checkpointId('c1')} />);
  return { server, user: userEvent.setup() };
}

describe("a checkpoint's Settings...", () => {
  it('opens the Settings dialog as of the checkpoint, titled with the checkpoint and the host', async () => {
    openCheckpointSettings();
    const dialog = await screen.findByRole(
      'dialog',
      { name: `Settings for Before update on ${host.name}` },
      { timeout: 5000 },
    );
    const tab = (name: string) => within(dialog).getByRole('tab', { name });
    expect(tab('Memory')).toHaveAccessibleDescription('2048 MB');
    expect(tab('Processor')).toHaveAccessibleDescription('2 Virtual processors');
    expect(tab('Security')).toHaveAccessibleDescription('Secure Boot disabled');
    expect(tab('Hard Drive')).toHaveAccessibleDescription('Web Server.vhdx');
    expect(within(dialog).getByRole('spinbutton', { name: 'Startup RAM:' })).toHaveValue(2048);
  });

  it('every control is disabled and only OK is offered, on every page', async () => {
    const { user, server } = openCheckpointSettings();
    const dialog = await screen.findByRole(
      'dialog',
      { name: /^Settings for Before update on / },
      { timeout: 5000 },
    );
    expect(within(dialog).getByRole('button', { name: 'OK' })).toBeEnabled();
    expect(within(dialog).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(dialog).queryByRole('button', { name: 'Apply' })).toBeNull();
    for (const name of ['Memory', 'Security', 'Name', 'Checkpoints']) {
      await user.click(within(dialog).getByRole('tab', { name }));
      const panel = within(dialog).getByRole('tabpanel');
      const controls = [
        ...within(panel).queryAllByRole('checkbox'),
        ...within(panel).queryAllByRole('spinbutton'),
        ...within(panel).queryAllByRole('textbox'),
        ...within(panel).queryAllByRole('radio'),
      ];
      expect(controls.length).toBeGreaterThan(0);
      for (const control of controls) expect(control).toBeDisabled();
    }
    await user.click(within(dialog).getByRole('tab', { name: 'Security' }));
    expect(
      within(dialog).getByRole('checkbox', { name: 'Enable Trusted Platform Module' }),
    ).toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
