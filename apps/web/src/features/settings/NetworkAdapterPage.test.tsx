import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SettingsForm } from './SettingsDialog';

const DEFAULT_ID = 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444';
const LAB_ID = '11111111-1111-4111-8111-111111111111';
const ADAPTER_ID = '22222222-2222-4222-8222-222222222222';

describe('Settings dialog, Network Adapter page', () => {
  it('shows the switch the adapter is on and connects it to another one on OK', async () => {
    const vm = aVm({
      networkAdapters: [
        {
          id: ADAPTER_ID,
          name: 'Network Adapter',
          isLegacy: false,
          switchId: DEFAULT_ID,
          switchName: 'Default Switch',
          macAddress: '00155D010203',
          dynamicMacAddressEnabled: true,
        },
      ],
    });
    const server = fakeServer({
      'GET /vms': [vm],
      [`GET /vms/${vm.id}`]: vm,
      'GET /virtual-switches': [
        {
          id: DEFAULT_ID,
          name: 'Default Switch',
          switchType: 'Internal',
          notes: '',
          isDefaultSwitch: true,
          connectedAdapterCount: 1,
        },
        {
          id: LAB_ID,
          name: 'Lab',
          switchType: 'Private',
          notes: '',
          isDefaultSwitch: false,
          connectedAdapterCount: 0,
        },
      ],
      [`POST /vms/${vm.id}/network-adapters/${ADAPTER_ID}/actions/connect`]: vm,
      [`POST /vms/${vm.id}/network-adapters/${ADAPTER_ID}/actions/disconnect`]: vm,
    });
    const onClose = vi.fn();
    renderWithClient(<SettingsForm vm={vm} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
    const user = userEvent.setup();
    await user.click(within(dialog).getByRole('tab', { name: 'Network Adapter' }));
    const list = within(dialog).getByRole('combobox', { name: 'Virtual switch:' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(3));
    expect(list).toHaveValue(DEFAULT_ID);
    const item = within(dialog).getByRole('tab', { name: 'Network Adapter' });
    expect(item).toHaveAccessibleDescription('Default Switch');
    await user.selectOptions(list, 'Lab');
    // The list's summary line names the switch chosen, before OK.
    expect(item).toHaveAccessibleDescription('Lab');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests).toContainEqual({
      method: 'POST',
      path: `/vms/${vm.id}/network-adapters/${ADAPTER_ID}/actions/connect`,
      body: { switchId: LAB_ID },
    });
    expect(server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('Not connected disconnects the adapter', async () => {
    const vm = aVm({
      networkAdapters: [
        {
          id: ADAPTER_ID,
          name: 'Network Adapter',
          isLegacy: false,
          switchId: DEFAULT_ID,
          switchName: 'Default Switch',
          macAddress: '00155D010203',
          dynamicMacAddressEnabled: true,
        },
      ],
    });
    const server = fakeServer({
      'GET /vms': [vm],
      'GET /virtual-switches': [],
      [`POST /vms/${vm.id}/network-adapters/${ADAPTER_ID}/actions/disconnect`]: vm,
    });
    renderWithClient(<SettingsForm vm={vm} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
    const user = userEvent.setup();
    await user.click(within(dialog).getByRole('tab', { name: 'Network Adapter' }));
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Virtual switch:' }),
      'Not connected',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(server.requests).toContainEqual({
        method: 'POST',
        path: `/vms/${vm.id}/network-adapters/${ADAPTER_ID}/actions/disconnect`,
        body: {},
      }),
    );
  });
});
