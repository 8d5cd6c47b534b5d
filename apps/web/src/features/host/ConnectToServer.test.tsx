import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HostSummary } from '@hvm/contracts';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

const fingerprint = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();

const local: HostSummary = {
  id: 'local',
  computerName: host.name,
  address: null,
  local: true,
  state: 'Connected',
  reason: null,
  userName: 'Administrator',
  fingerprint: null,
};

const alpha: HostSummary = {
  id: 'c0ffee',
  computerName: 'ALPHA',
  address: 'alpha:8443',
  local: false,
  state: 'Connected',
  reason: null,
  userName: 'alice',
  fingerprint,
};

describe('Connect to Server', () => {
  it('asks for the address, shows the fingerprint to confirm, then sends the credentials with it', async () => {
    let connected = false;
    const server = fakeServer({
      'GET /host': host,
      'GET /vms': [],
      'GET /hosts': () => ({ body: { hosts: connected ? [local, alpha] : [local] } }),
      'POST /hosts/probe': { address: 'alpha:8443', computerName: 'ALPHA', fingerprint },
      'POST /hosts': () => {
        connected = true;
        return { status: 201, body: alpha };
      },
      'GET /hosts/c0ffee/vms': [aVm({ name: 'Alpha VM' })],
    });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const root = await screen.findByTestId('manager-node');
    await user.pointer({
      keys: '[MouseRight]',
      target: within(root).getAllByText('Hyper-V Manager')[0] ?? root,
    });
    await user.click(await screen.findByRole('menuitem', { name: 'Connect to Server...' }));

    const select = await screen.findByRole('dialog', { name: 'Select Computer' });
    await user.type(within(select).getByRole('textbox'), 'alpha');
    await user.click(within(select).getByRole('button', { name: 'OK' }));

    const confirm = await screen.findByRole('dialog', { name: 'Connect to Server' });
    expect(within(confirm).getByTestId('server-fingerprint')).toHaveTextContent(fingerprint);
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/hosts')).toBe(false);
    await user.click(within(confirm).getByRole('button', { name: 'Yes' }));

    await user.type(await screen.findByLabelText('User name:'), 'alice');
    await user.type(screen.getByLabelText('Password:'), 'alpha-pw');
    await user.click(screen.getByRole('button', { name: 'OK' }));

    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'POST' && r.path === '/hosts')?.body).toEqual(
        { address: 'alpha:8443', fingerprint, userName: 'alice', password: 'alpha-pw' },
      ),
    );
    // The new server is in the tree, selected, and the VM list is its.
    const tree = screen.getByRole('tree', { name: 'Hyper-V Manager' });
    const node = await within(tree).findByRole('treeitem', { name: 'ALPHA' });
    await waitFor(() => expect(node).toHaveAttribute('aria-selected', 'true'));
    expect(await screen.findByText('Alpha VM')).toBeInTheDocument();
  });

  it('shows a server that cannot be reached as Unreachable in the tree', async () => {
    fakeServer({
      'GET /host': host,
      'GET /vms': [],
      'GET /hosts': { hosts: [local, { ...alpha, state: 'Unreachable' }] },
    });
    renderWithClient(<App />);
    const tree = await screen.findByRole('tree', { name: 'Hyper-V Manager' });
    const node = await within(tree).findByRole('treeitem', { name: 'ALPHA' });
    expect(node).toHaveTextContent('ALPHA (Unreachable)');
  });
});
