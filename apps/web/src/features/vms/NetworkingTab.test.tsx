import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { aTree, aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

const onDefaultSwitch = {
  id: 'a0000000-0000-4000-8000-000000000001',
  name: 'Network Adapter',
  isLegacy: false,
  switchId: 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444',
  switchName: 'Default Switch',
  macAddress: '00155D000001',
  dynamicMacAddressEnabled: true,
};

/** The rows of the Networking tab of the details pane, cell texts. */
async function networkingRows(vm: ReturnType<typeof aVm>): Promise<string[][]> {
  fakeServer({
    'GET /host': host,
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([], null),
    'GET /tasks': [],
    'GET /guest-images': [],
  });
  renderWithClient(<App />);
  const user = userEvent.setup();
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  await user.click(await within(grid).findByText(vm.name));
  const details = await screen.findByRole('region', { name: `Details for ${vm.name}` });
  await user.click(within(details).getByRole('tab', { name: 'Networking' }));
  const table = await within(details).findByRole('table', { name: 'Network adapters' });
  await within(table).findByText(vm.networkAdapters?.[0]?.name ?? '');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent ?? ''),
    );
}

describe('the Networking tab', () => {
  it("shows the addresses a real guest reports on its first adapter's switch", async () => {
    const vm = aVm({
      state: 'Running',
      guestImage: 'tiny-linux',
      networkAdapters: [onDefaultSwitch],
      guestIpAddresses: ['10.0.2.15', 'fe80::215:5dff:fe00:1'],
    });
    expect(await networkingRows(vm)).toEqual([
      ['Network Adapter', 'Default Switch', '10.0.2.15, fe80::215:5dff:fe00:1', 'OK'],
    ]);
  });

  it('shows an adapter that is Not connected without addresses', async () => {
    const vm = aVm({ state: 'Running', guestImage: 'tiny-linux', guestIpAddresses: [] });
    expect(await networkingRows(vm)).toEqual([['Network Adapter', 'Not connected', '', 'OK']]);
  });
});
