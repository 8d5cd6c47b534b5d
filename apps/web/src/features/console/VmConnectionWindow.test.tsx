import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { GuestConsole, VmDetail } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import { vmKeys } from '../../api/vms';
import { DialogHost } from '../../app/DialogHost';
import { aCheckpoint, aVm, checkpointId, host, vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { useUiStore } from '../../stores/uiStore';
import { connectionKey, MAX_CONNECTION_WINDOWS, useVmConnectionStore } from './vmConnectionStore';
import { TOO_MANY_WINDOWS } from './VmConnectionWindows';

const TITLE = 'Web Server on HV-HOST-01 - Virtual Machine Connection';

function aConsole(vm: VmDetail, overrides: Partial<GuestConsole> = {}): GuestConsole {
  return {
    vmId: vm.id,
    vmName: vm.name,
    state: vm.state,
    guestImage: 'windows-server-2016-sql',
    os: 'Windows Server 2016 Datacenter',
    application: 'SQL Server 2016 (MSSQLSERVER)',
    running: vm.state === 'Running' || vm.state === 'Paused',
    uptimeMs: 3_725_000,
    committedTransactions: 42,
    inFlightTransactions: [43, 44, 45],
    dirtyPages: 3,
    boot: {
      kind: 'resumed',
      message: 'Resumed from saved state: 3 in-flight transactions continue, 42 committed.',
    },
    replication: null,
    integrationServices: [],
    lines: ['[00:00:00] Windows Server 2016 Datacenter starting.', '[00:00:01] SQL Server ready.'],
    serialConsole: false,
    observedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** Hyper-V Manager's dialogs and windows, with the windows of `vms` open (first one first). */
async function connect(vms: VmDetail[], routes: Record<string, unknown> = {}) {
  const server = fakeServer({
    'GET /host': host,
    'GET /vms': vms,
    ...Object.fromEntries(vms.map((vm) => [`GET /vms/${vm.id}/console`, aConsole(vm)])),
    ...routes,
  });
  const result = renderWithClient(<DialogHost />);
  const user = userEvent.setup();
  act(() => {
    for (const vm of vms) useVmConnectionStore.getState().openConnection(vm.id);
  });
  // The first render of a file on a busy machine can take longer than the default second.
  const window = await screen.findByRole('dialog', { name: TITLE }, { timeout: 10_000 });
  return { ...result, server, user, window };
}

describe('Virtual Machine Connection', () => {
  it('is a window titled "<VM> on <host> - Virtual Machine Connection" that Esc does not close', async () => {
    const { user, window } = await connect([aVm({ state: 'Running' })]);
    expect(window).not.toHaveAttribute('aria-modal');
    await waitFor(
      () => expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveFocus(),
      { timeout: 10_000 },
    );
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog', { name: TITLE })).toBeInTheDocument();
    await user.click(within(window).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog', { name: TITLE })).not.toBeInTheDocument();
  });

  it("shows the guest's console live: its figures, what it did at boot and its console text", async () => {
    const { window } = await connect([aVm({ state: 'Running' })]);
    const guest = await within(window).findByRole('group', { name: 'Guest console' });
    expect(within(guest).getByText('01:02:05')).toBeInTheDocument();
    expect(within(guest).getByText('43, 44, 45')).toBeInTheDocument();
    expect(within(guest).getByTestId('console-boot')).toHaveTextContent('Resumed from saved state');
    expect(within(guest).getByRole('log', { name: 'Console output' })).toHaveTextContent(
      'SQL Server ready.',
    );
    expect(within(window).getByText('Status: Running')).toBeInTheDocument();
  });

  it('says an Off VM is turned off, and its Start button starts it', async () => {
    const vm = aVm({ state: 'Off' });
    const { user, window, server } = await connect([vm], {
      [`POST /vms/${vm.id}/actions/start`]: { ...vm, state: 'Running' },
    });
    await waitFor(() =>
      expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveTextContent(
        "The virtual machine 'Web Server' is turned off.",
      ),
    );
    await user.click(
      within(within(window).getByRole('group', { name: 'Guest screen' })).getByRole('button', {
        name: 'Start',
      }),
    );
    await waitFor(() =>
      expect(server.requests).toContainEqual(
        expect.objectContaining({ method: 'POST', path: `/vms/${vm.id}/actions/start` }),
      ),
    );
  });

  it('says a Saved VM is saved and offers Start', async () => {
    const { window } = await connect([aVm({ state: 'Saved' })]);
    await waitFor(() =>
      expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveTextContent(
        "The virtual machine 'Web Server' is saved.",
      ),
    );
    expect(
      within(within(window).getByRole('group', { name: 'Guest screen' })).getByRole('button', {
        name: 'Start',
      }),
    ).toBeEnabled();
  });

  it('Ctrl+S starts, Ctrl+N takes a checkpoint, as the Action menu does', async () => {
    const vm = aVm({ state: 'Off' });
    const created = aCheckpoint({ id: checkpointId('n1'), name: 'N1', kind: 'Standard' });
    const { user, server } = await connect([vm], {
      [`POST /vms/${vm.id}/actions/start`]: { ...vm, state: 'Running' },
      [`POST /vms/${vm.id}/checkpoints`]: { status: 201, body: created },
    });
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() =>
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain(
        `POST /vms/${vm.id}/actions/start`,
      ),
    );
    await user.keyboard('{Control>}n{/Control}');
    await waitFor(() =>
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain(
        `POST /vms/${vm.id}/checkpoints`,
      ),
    );
  });

  it('Ctrl+E asks before reverting, as the main window does', async () => {
    const withParent = aVm({ state: 'Running', parentCheckpointId: checkpointId('c1') });
    const { user } = await connect([withParent]);
    await user.keyboard('{Control>}e{/Control}');
    const confirm = await screen.findByRole('dialog', { name: 'Revert Virtual Machine' });
    expect(useUiStore.getState().dialog).toEqual({
      kind: 'revert',
      vmId: withParent.id,
      hostPath: '',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('dialog', { name: TITLE })).toBeInTheDocument();
  });

  it('Ctrl+E does nothing where Revert is greyed out (no checkpoint)', async () => {
    const { user, window } = await connect([aVm({ state: 'Running' })]);
    await waitFor(
      () => expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveFocus(),
      { timeout: 10_000 },
    );
    await user.keyboard('{Control>}e{/Control}');
    expect(useUiStore.getState().dialog).toBeNull();
  });

  it("has VMConnect's menus; the Action menu opens from the keyboard and shows the shortcuts", async () => {
    const { user, window } = await connect([aVm({ state: 'Running' })]);
    const menubar = within(window).getByRole('menubar');
    expect(
      within(menubar)
        .getAllByRole('menuitem')
        .map((m) => m.textContent),
    ).toEqual(['File', 'Action', 'Media', 'Clipboard', 'View', 'Help']);
    await user.keyboard('{F10}');
    expect(within(menubar).getByRole('menuitem', { name: 'File' })).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowDown}');
    const action = within(window).getByRole('menu', { name: 'Action' });
    const items = within(action).getAllByRole('menuitem');
    expect(items.map((i) => i.querySelector('.window-menu-caption')?.textContent)).toEqual([
      'Ctrl+Alt+Delete',
      'Start',
      'Turn Off...',
      'Shut Down...',
      'Save',
      'Pause',
      'Reset',
      'Checkpoint',
      'Revert...',
    ]);
    expect(items[0]).toHaveFocus();
    expect(within(action).getByRole('menuitem', { name: /^Checkpoint/ })).toHaveAttribute(
      'aria-keyshortcuts',
      'Control+N',
    );
    expect(within(action).getByRole('menuitem', { name: /^Start/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(useUiStore.getState().dialog).toEqual({
      kind: 'turn-off',
      vmId: aVm().id,
      hostPath: '',
    });
    expect(within(window).queryByRole('menu')).not.toBeInTheDocument();
  });

  it('Esc closes an open menu and gives the focus back to the menu bar', async () => {
    const { user, window } = await connect([aVm({ state: 'Running' })]);
    await user.click(within(window).getByRole('menuitem', { name: 'View' }));
    expect(within(window).getByRole('menu', { name: 'View' })).toBeInTheDocument();
    await user.keyboard('{ArrowDown}{Escape}');
    expect(within(window).queryByRole('menu')).not.toBeInTheDocument();
    expect(within(window).getByRole('menuitem', { name: 'View' })).toHaveFocus();
    expect(screen.getByRole('dialog', { name: TITLE })).toBeInTheDocument();
  });

  it('View > Toolbar hides and shows the toolbar', async () => {
    const { user, window } = await connect([aVm({ state: 'Running' })]);
    expect(within(window).getByRole('toolbar')).toBeInTheDocument();
    await user.click(within(window).getByRole('menuitem', { name: 'View' }));
    await user.click(within(window).getByRole('menuitemcheckbox', { name: /Toolbar/ }));
    expect(within(window).queryByRole('toolbar')).not.toBeInTheDocument();
  });

  it('View > Full Screen Mode fills the page; Ctrl+Alt+Break gives the window back', async () => {
    const { user, window } = await connect([aVm({ state: 'Running' })]);
    await user.click(within(window).getByRole('menuitem', { name: 'View' }));
    await user.click(within(window).getByRole('menuitemcheckbox', { name: /Full Screen Mode/ }));
    expect(window).toHaveClass('full-screen');
    expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveFocus();
    await user.keyboard('{Control>}{Alt>}{Pause}{/Alt}{/Control}');
    expect(window).not.toHaveClass('full-screen');
  });

  it('Ctrl+O opens the Settings of the VM, as File > Settings... does', async () => {
    const vm = aVm({ state: 'Running' });
    const { user, window } = await connect([vm]);
    await waitFor(
      () => expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveFocus(),
      { timeout: 10_000 },
    );
    await user.keyboard('{Control>}o{/Control}');
    // On the window's own server (here the loaded one, whose path is '').
    expect(useUiStore.getState().dialog).toEqual({ kind: 'settings', vmId: vm.id, hostPath: '' });
  });

  it('the toolbar runs the same commands: Save saves the VM; greyed-out buttons do nothing', async () => {
    const vm = aVm({ state: 'Running' });
    const { user, window, server } = await connect([vm], {
      [`POST /vms/${vm.id}/actions/save`]: { ...vm, state: 'Saved' },
    });
    const toolbar = within(window).getByRole('toolbar');
    expect(within(toolbar).getByRole('button', { name: 'Start' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await user.click(within(toolbar).getByRole('button', { name: 'Start' }));
    await user.click(within(toolbar).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain(
        `POST /vms/${vm.id}/actions/save`,
      ),
    );
    expect(server.requests.map((r) => r.path)).not.toContain(`/vms/${vm.id}/actions/start`);
  });

  it('opens one window per VM: several side by side, the same VM only once', async () => {
    const web = aVm({ state: 'Running' });
    const db = aVm({ id: vmId('22222222-2222-2222-2222-222222222222'), name: 'Database' });
    await connect([web, db]);
    expect(
      await screen.findByRole('dialog', {
        name: 'Database on HV-HOST-01 - Virtual Machine Connection',
      }),
    ).toBeInTheDocument();
    act(() => void useVmConnectionStore.getState().openConnection(web.id));
    expect(screen.getAllByRole('dialog')).toHaveLength(2);
    expect(useVmConnectionStore.getState().stacking.at(-1)).toBe(connectionKey('', web.id));
  });

  it('opens at most MAX_CONNECTION_WINDOWS windows and says why no more', async () => {
    const vms = Array.from({ length: MAX_CONNECTION_WINDOWS + 1 }, (_, i) =>
      aVm({
        id: vmId(`00000000-0000-0000-0000-00000000000${i}`),
        name: i === 0 ? 'Web Server' : `VM ${i}`,
      }),
    );
    const [one, ...others] = vms.slice().reverse();
    await connect(others.reverse());
    if (one) act(() => useUiStore.getState().openDialog({ kind: 'vm-connection', vmId: one.id }));
    await waitFor(() => expect(useUiStore.getState().notice).toBe(TOO_MANY_WINDOWS));
    expect(screen.getAllByRole('dialog')).toHaveLength(MAX_CONNECTION_WINDOWS);
  });

  it('closes when its VM is deleted', async () => {
    const { queryClient } = await connect([aVm({ state: 'Off' })]);
    act(() => {
      queryClient.setQueryData(vmKeys.all, []);
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: TITLE })).not.toBeInTheDocument(),
    );
    expect(useVmConnectionStore.getState().open).toEqual([]);
  });

  it('a double-click on a VM row connects to it', async () => {
    const vm = aVm({ state: 'Off' });
    fakeServer({
      'GET /host': host,
      'GET /vms': [vm],
      [`GET /vms/${vm.id}/console`]: aConsole(vm),
    });
    renderWithClient(
      <>
        <table>
          <tbody>
            <tr data-vm-row={vm.id}>
              <td>Web Server</td>
            </tr>
          </tbody>
        </table>
        <DialogHost />
      </>,
    );
    fireEvent.doubleClick(screen.getByText('Web Server'));
    expect(await screen.findByRole('dialog', { name: TITLE })).toBeInTheDocument();
  });
});
