/**
 * A Virtual Machine Connection window belongs to the server and VM it was opened for, as
 * VMConnect's windows do (each is its own program, connected to one host and one VM): selecting
 * another server in the console tree changes the main window, not the connection windows.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DialogHost } from '../../app/DialogHost';
import { useSelectHost } from '../host/useSelectHost';
import { aGuestConsole, aVm, host, vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { useVmConnectionStore } from './vmConnectionStore';

function ServerSwitch() {
  const select = useSelectHost();
  return (
    <>
      <button type="button" onClick={() => select('h-1')}>
        Remote server
      </button>
      <button type="button" onClick={() => select('local')}>
        Local server
      </button>
      <button type="button" onClick={() => select('h-2')}>
        Third server
      </button>
    </>
  );
}

const REMOTE_TITLE = 'Web Server on HV-REMOTE-02 - Virtual Machine Connection';

describe('a Virtual Machine Connection window of a VM on another server', () => {
  it('keeps showing its own server and VM when another server is selected', async () => {
    const remoteVm = aVm({ state: 'Running', name: 'Web Server' });
    const localVm = aVm({ id: vmId('local-vm'), state: 'Off', name: 'Local VM' });
    const thirdVm = aVm({ id: remoteVm.id, state: 'Off', name: 'Same Id Elsewhere' });
    const remote = `/hosts/h-1`;
    const server = fakeServer({
      'GET /host': host,
      'GET /vms': [localVm],
      'GET /hosts/h-2/host': { ...host, name: 'HV-THIRD-03' },
      'GET /hosts/h-2/vms': [thirdVm],
      [`GET /hosts/h-2/vms/${thirdVm.id}`]: thirdVm,
      [`GET /hosts/h-2/vms/${thirdVm.id}/console`]: aGuestConsole(thirdVm),
      [`GET ${remote}/host`]: { ...host, name: 'HV-REMOTE-02' },
      [`GET ${remote}/vms`]: [remoteVm],
      [`GET ${remote}/vms/${remoteVm.id}`]: remoteVm,
      [`GET ${remote}/vms/${remoteVm.id}/console`]: aGuestConsole(remoteVm),
    });
    renderWithClient(
      <>
        <ServerSwitch />
        <DialogHost />
      </>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Remote server' }));
    act(() => void useVmConnectionStore.getState().openConnection(remoteVm.id));
    const window = await screen.findByRole('dialog', { name: REMOTE_TITLE }, { timeout: 10_000 });
    expect(within(window).getByText('Status: Running')).toBeInTheDocument();

    // The local server has no such VM, and a third one has a VM of the same id: neither matters.
    for (const name of ['Local server', 'Third server']) {
      await user.click(screen.getByRole('button', { name }));
      const sent = server.requests.length;
      const consoleReads = () =>
        server.requests.slice(sent).filter((r) => r.path.endsWith(`/vms/${remoteVm.id}/console`));
      // The window goes on reading its guest's console (every second), from its own server.
      await waitFor(() => expect(consoleReads().length).toBeGreaterThan(0), { timeout: 5_000 });
      for (const r of consoleReads()) expect(r.path).toBe(`${remote}/vms/${remoteVm.id}/console`);
      expect(screen.getByRole('dialog', { name: REMOTE_TITLE })).toBe(window);
      expect(within(window).getByText('Status: Running')).toBeInTheDocument();
    }
  }, 30_000);

  it("sends its commands, their questions' answers and what it reads again to its own server", async () => {
    // Two servers each hold a VM of the same id (a copied VM): the window's is Running.
    const remoteVm = aVm({ state: 'Running', name: 'Web Server' });
    const localVm = aVm({ state: 'Running', name: 'Same Id Here' });
    const remote = `/hosts/h-1`;
    const saved = { ...remoteVm, state: 'Saved' as const };
    const server = fakeServer({
      'GET /host': host,
      'GET /vms': [localVm],
      [`GET /vms/${localVm.id}`]: localVm,
      [`GET ${remote}/host`]: { ...host, name: 'HV-REMOTE-02' },
      [`GET ${remote}/vms`]: [remoteVm],
      [`GET ${remote}/vms/${remoteVm.id}`]: remoteVm,
      [`GET ${remote}/vms/${remoteVm.id}/console`]: aGuestConsole(remoteVm),
      [`POST ${remote}/vms/${remoteVm.id}/actions/turn-off`]: { ...remoteVm, state: 'Off' },
      [`POST ${remote}/vms/${remoteVm.id}/actions/save`]: saved,
    });
    renderWithClient(
      <>
        <ServerSwitch />
        <DialogHost />
      </>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Remote server' }));
    act(() => void useVmConnectionStore.getState().openConnection(remoteVm.id));
    const window = await screen.findByRole('dialog', { name: REMOTE_TITLE }, { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Local server' }));
    const toolbar = within(window).getByRole('toolbar');

    // Turn Off asks first, about the window's VM, and the answer goes to the window's server.
    const turnOff = within(toolbar).getByRole('button', { name: 'Turn Off' });
    await waitFor(() => expect(turnOff).toHaveAttribute('aria-disabled', 'false'));
    await user.click(turnOff);
    const confirm = await screen.findByRole('dialog', { name: 'Turn Off Machine' });
    expect(confirm).toHaveTextContent('Do you want to turn off Web Server?');
    const sent = server.requests.length;
    await user.click(within(confirm).getByRole('button', { name: 'Turn Off' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Turn Off Machine' })).toBeNull(),
    );
    const changes = () =>
      server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(changes()).toEqual([`POST ${remote}/vms/${remoteVm.id}/actions/turn-off`]);
    // What the change made stale is read again from the window's server, not the selected one.
    await waitFor(() =>
      expect(server.requests.slice(sent).map((r) => `${r.method} ${r.path}`)).toContain(
        `GET ${remote}/vms/${remoteVm.id}`,
      ),
    );
    const readAgain = server.requests.slice(sent).filter((r) => r.method === 'GET');
    expect(readAgain.filter((r) => !r.path.startsWith(remote))).toEqual([]);

    // A command that asks nothing (Save) goes there too.
    await user.click(within(toolbar).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(changes()).toContain(`POST ${remote}/vms/${remoteVm.id}/actions/save`),
    );
    expect(changes().filter((c) => !c.startsWith(`POST ${remote}/`))).toEqual([]);
  }, 30_000);

  it("opens File > Settings... on its own server: what is read, changed and read again is that server's", async () => {
    // Two servers each hold an Off VM of the same id; the window's is "Web Server".
    const remoteVm = aVm({ state: 'Off', name: 'Web Server', checkpointType: 'Standard' });
    const localVm = aVm({ state: 'Off', name: 'Same Id Here', checkpointType: 'Standard' });
    const remote = `/hosts/h-1`;
    const server = fakeServer({
      'GET /host': host,
      'GET /vms': [localVm],
      [`GET /vms/${localVm.id}`]: localVm,
      'GET /virtual-switches': [],
      [`GET ${remote}/host`]: { ...host, name: 'HV-REMOTE-02' },
      [`GET ${remote}/vms`]: [remoteVm],
      [`GET ${remote}/vms/${remoteVm.id}`]: remoteVm,
      [`GET ${remote}/vms/${remoteVm.id}/console`]: aGuestConsole(remoteVm),
      [`GET ${remote}/virtual-switches`]: [],
      [`PATCH ${remote}/vms/${remoteVm.id}`]: ({ body }: { body: unknown }) => ({
        body: { ...remoteVm, ...(body as object) },
      }),
    });
    renderWithClient(
      <>
        <ServerSwitch />
        <DialogHost />
      </>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Remote server' }));
    act(() => void useVmConnectionStore.getState().openConnection(remoteVm.id));
    const window = await screen.findByRole('dialog', { name: REMOTE_TITLE }, { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Local server' }));
    await waitFor(() => expect(within(window).getByText('Status: Off')).toBeInTheDocument());

    // File > Settings... is there, as in VMConnect, whichever server the main window shows.
    await user.click(within(window).getByRole('menuitem', { name: 'File' }));
    const settings = within(window).getByRole('menuitem', { name: /^Settings\.\.\./ });
    await waitFor(() => expect(settings).toHaveAttribute('aria-disabled', 'false'));
    expect(settings).not.toHaveAttribute('title');
    const beforeOpening = server.requests.length;
    await user.click(settings);

    // The dialog shows the window's VM, not the selected server's VM of the same id.
    const dialog = await screen.findByRole('dialog', { name: 'Settings for Web Server' });
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    const sent = server.requests.length;
    await user.click(within(dialog).getByRole('checkbox', { name: 'Enable checkpoints' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Settings for/ })).toBeNull());

    const changes = server.requests.filter((r) => r.method !== 'GET');
    expect(changes).toEqual([
      {
        method: 'PATCH',
        path: `${remote}/vms/${remoteVm.id}`,
        body: { checkpointType: 'Disabled' },
      },
    ]);
    // What the change made stale is read again from the window's server only.
    await waitFor(() =>
      expect(server.requests.slice(sent).map((r) => `${r.method} ${r.path}`)).toContain(
        `GET ${remote}/vms/${remoteVm.id}`,
      ),
    );
    // Nothing the dialog reads (the VM, the host, its switches) or reads again is another server's.
    expect(server.requests.slice(beforeOpening).map((r) => r.path)).toContain(
      `${remote}/virtual-switches`,
    );
    const elsewhere = server.requests
      .slice(beforeOpening)
      .filter((r) => !r.path.startsWith(`${remote}/`))
      .map((r) => `${r.method} ${r.path}`);
    expect(elsewhere).toEqual([]);
  }, 30_000);
});
