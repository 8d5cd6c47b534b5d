import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { setCsrfToken } from '../../api/client';
import { aTree, aVm, host, inState } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import type { RecordedRequest } from '../../test/render';
import type { Permission, SessionInfo } from './sessionApi';

const signedOut: SessionInfo = {
  authentication: 'required',
  signedIn: false,
  user: null,
  csrfToken: null,
  computerName: 'HV-HOST',
};

function signedInAs(
  name: string,
  role: 'administrator' | 'reader' | 'checkpoint-operator',
  permissions: Permission[],
): SessionInfo {
  const roleName = {
    administrator: 'Administrator',
    reader: 'Reader',
    'checkpoint-operator': 'Checkpoint Operator',
  }[role];
  return {
    authentication: 'required',
    signedIn: true,
    user: { name, role, roleName, virtualMachines: [], permissions },
    csrfToken: `token-of-${name}`,
    computerName: 'HV-HOST',
  };
}

const vm = aVm({ state: 'Off' });
const hostRoutes = {
  'GET /host': host,
  'GET /vms': [vm],
  [`GET /vms/${vm.id}`]: vm,
  [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([], null),
};

/** The headers of the fetch call that sent `method path`. */
function headersOf(fetchMock: { mock: { calls: unknown[][] } }, method: string, path: string) {
  const call = fetchMock.mock.calls.find(
    ([url, init]) =>
      String(url).endsWith(path) && ((init as RequestInit | undefined)?.method ?? 'GET') === method,
  );
  return ((call?.[1] as RequestInit | undefined)?.headers ?? {}) as Record<string, string>;
}

afterEach(() => setCsrfToken(null));

describe('Connect to Server', () => {
  it('asks for credentials when the server requires sign-in, then shows the console', async () => {
    let current = signedOut;
    const { requests } = fakeServer({
      ...hostRoutes,
      'GET /session': () => ({ body: current }),
      'POST /session': (request: RecordedRequest) => {
        const { userName, password } = request.body as { userName: string; password: string };
        if (password !== 'Pa$$w0rd') {
          return {
            status: 401,
            body: {
              error: {
                code: 'UNAUTHENTICATED',
                message: 'The user name or password is incorrect.',
              },
            },
          };
        }
        current = signedInAs(userName, 'administrator', [
          'read',
          'readHost',
          'manageCheckpoints',
          'manageHost',
          'runPowerShell',
        ]);
        return { body: current };
      },
    });
    renderWithClient(<App />);
    const dialog = await screen.findByRole('dialog', { name: 'Connect to Server' });
    expect(
      within(dialog).getByText("Enter your credentials to connect to 'HV-HOST'."),
    ).toBeVisible();
    expect(screen.queryByRole('grid', { name: 'Virtual Machines' })).toBeNull();
    expect(requests.some((r) => r.path === '/vms')).toBe(false);

    const user = userEvent.setup();
    const userName = within(dialog).getByLabelText('User name:');
    const password = within(dialog).getByLabelText('Password:');
    expect(userName).toHaveFocus();
    expect(password).toHaveAttribute('type', 'password');

    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Type a user name.');
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await user.type(userName, 'Administrator');
    const ok = within(dialog).getByRole('button', { name: 'OK' });
    await user.type(password, 'wrong');
    await user.click(ok);
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'The user name or password is incorrect.',
      ),
    );
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      "Hyper-V Manager cannot connect to 'HV-HOST'.",
    );
    expect(password).toHaveValue('');

    await user.type(password, 'Pa$$w0rd');
    await user.click(ok);
    await screen.findByRole('grid', { name: 'Virtual Machines' });
    expect(screen.queryByRole('dialog', { name: 'Connect to Server' })).toBeNull();
    expect(requests.find((r) => r.method === 'POST' && r.path === '/session')?.body).toEqual({
      userName: 'Administrator',
      password: 'wrong',
    });
    expect(screen.getByText('Administrator (Administrator)')).toBeVisible();
  });

  it('sends the CSRF token on changes, and signs out', async () => {
    let current = signedInAs('Olivia', 'administrator', [
      'read',
      'readHost',
      'manageCheckpoints',
      'manageHost',
      'runPowerShell',
    ]);
    const { fetchMock, requests } = fakeServer({
      ...hostRoutes,
      'GET /session': () => ({ body: current }),
      'DELETE /session': () => {
        current = signedOut;
        return { status: 204 };
      },
      [`POST /vms/${vm.id}/actions/start`]: inState(vm, 'Running'),
    });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    const row = await within(grid).findByRole('row', { name: new RegExp(vm.name) });
    await user.pointer({ keys: '[MouseRight]', target: row });
    await user.click(
      within(await screen.findByRole('menu')).getByRole('menuitem', { name: 'Start' }),
    );
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(headersOf(fetchMock, 'POST', `/vms/${vm.id}/actions/start`)).toMatchObject({
      'X-CSRF-Token': 'token-of-Olivia',
    });
    expect(headersOf(fetchMock, 'GET', '/vms')).not.toHaveProperty('X-CSRF-Token');

    expect(screen.getByText('Olivia (Administrator)')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('dialog', { name: 'Connect to Server' });
    expect(headersOf(fetchMock, 'DELETE', '/session')).toMatchObject({
      'X-CSRF-Token': 'token-of-Olivia',
    });
    expect(screen.queryByRole('grid', { name: 'Virtual Machines' })).toBeNull();
  });

  it('comes back when the session ends (401 from any request)', async () => {
    let current = signedInAs('Olivia', 'reader', ['read', 'readHost']);
    fakeServer({
      ...hostRoutes,
      'GET /session': () => ({ body: current }),
      'GET /vms': () => {
        current = signedOut;
        return {
          status: 401,
          body: { error: { code: 'UNAUTHENTICATED', message: 'Your session has ended.' } },
        };
      },
    });
    renderWithClient(<App />);
    await screen.findByRole('dialog', { name: 'Connect to Server' });
  });

  it('shows neither the dialog nor Sign out when sign-in is off', async () => {
    fakeServer({
      ...hostRoutes,
      'GET /session': {
        ...signedInAs('alice', 'administrator', ['read']),
        authentication: 'off',
        csrfToken: null,
      },
    });
    renderWithClient(<App />);
    await screen.findByRole('grid', { name: 'Virtual Machines' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });
});

describe('commands a role does not allow', () => {
  async function vmMenuAs(session: SessionInfo) {
    fakeServer({ ...hostRoutes, 'GET /session': session });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    const row = await within(grid).findByRole('row', { name: new RegExp(vm.name) });
    await user.pointer({ keys: '[MouseRight]', target: row });
    const menu = await screen.findByRole('menu');
    return within(menu)
      .getAllByRole('menuitem')
      .filter((item) => item.getAttribute('aria-disabled') !== 'true')
      .map((item) => item.textContent ?? '');
  }

  it('greys out every change for a Reader, and hides the PowerShell pane', async () => {
    expect(await vmMenuAs(signedInAs('Olivia', 'reader', ['read', 'readHost']))).toEqual([
      'Connect...',
      'Settings...',
      'Help',
    ]);
    expect(screen.queryByRole('region', { name: /PowerShell/ })).toBeNull();
    const actions = screen.getByRole('region', { name: 'Actions' });
    expect(within(actions).getByRole('button', { name: /^New/ })).toBeDisabled();
    expect(within(actions).getByRole('button', { name: 'PowerShell' })).toBeDisabled();
    expect(within(actions).getByRole('button', { name: 'Inspect Disk...' })).toBeEnabled();
    // Edit Disk changes files: Administrators only (POST /disks/actions/*).
    expect(within(actions).getByRole('button', { name: 'Edit Disk...' })).toBeDisabled();
    expect(within(actions).getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('leaves a Checkpoint Operator Checkpoint and Revert only', async () => {
    const enabled = await vmMenuAs(
      signedInAs('Oscar', 'checkpoint-operator', ['read', 'manageCheckpoints']),
    );
    expect(enabled).toContain('Checkpoint');
    for (const denied of ['Start', 'Export...', 'Rename...', 'Delete...']) {
      expect(enabled).not.toContain(denied);
    }
    const actions = screen.getByRole('region', { name: 'Actions' });
    expect(within(actions).getByRole('button', { name: 'Inspect Disk...' })).toBeDisabled();
    expect(within(actions).getByRole('button', { name: 'Check Host...' })).toBeDisabled();
  });
});
