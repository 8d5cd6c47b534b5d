import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource, lastStream, stubConsoleBrowser } from '../../test/fakeEventSource';
import { vmId as asVmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SerialConsoleScreen } from './SerialConsoleScreen';

const vmId = asVmId('00000000-0000-4000-8000-000000000001');

beforeEach(stubConsoleBrowser);
afterEach(() => {
  vi.unstubAllGlobals();
});

const terminalText = () =>
  document.querySelector('.xterm-rows')?.textContent?.replace(/\u00a0/g, ' ') ?? '';

/** Where xterm.js takes the keyboard. */
function keyboardInput(): HTMLElement {
  const input = document.querySelector<HTMLElement>('.xterm-helper-textarea');
  if (input === null) throw new Error('the terminal has no keyboard input');
  return input;
}

const stream = lastStream;

describe("a QEMU guest's serial console in Virtual Machine Connection", () => {
  it("shows what the guest printed before and since, from the VM's own stream", async () => {
    fakeServer({});
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType />);
    expect(stream().url).toBe(`/api/v1/vms/${vmId}/serial-console`);
    stream().emit('open');
    stream().print('backlog', 'HVM-READY\r\n');
    stream().print('output', '~ # uname\r\nLinux ✓\r\n');
    await waitFor(() => expect(terminalText()).toContain('Linux ✓'));
    expect(terminalText()).toContain('HVM-READY');
    expect(screen.getByRole('group', { name: 'Serial console' })).toBeInTheDocument();
  });

  it('starts the screen again from the backlog when the stream comes back', async () => {
    fakeServer({});
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType />);
    stream().print('backlog', 'old screen\r\n');
    await waitFor(() => expect(terminalText()).toContain('old screen'));
    stream().emit('error');
    expect(screen.getByRole('status')).toHaveTextContent('connecting again');
    stream().emit('open');
    stream().print('backlog', 'new screen\r\n');
    await waitFor(() => expect(terminalText()).toContain('new screen'));
    expect(terminalText()).not.toContain('old screen');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it("says so when the VM's server cannot be reached, and connects again once it is back", async () => {
    fakeServer({});
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType />);
    const first = stream();
    first.emit('open');
    first.print('backlog', 'before\r\n');
    const message =
      'An error occurred while attempting to connect to server "REMOTE". Check that the Virtual Machine Management service is running and that you are authorized to connect to the server.';
    first.emit('host-unreachable', JSON.stringify({ code: 'HOST_UNREACHABLE', message }));
    expect(first.closed).toBe(true);
    expect(screen.getByRole('status')).toHaveTextContent(
      `${message} The console connects again when the server is back.`,
    );
    // Still unreachable: the gateway answers 502 and the browser gives up on that stream too.
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(2), { timeout: 5_000 });
    stream().fail();
    expect(screen.getByRole('status')).toHaveTextContent(message);
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(3), { timeout: 5_000 });
    stream().emit('open');
    stream().print('backlog', 'after\r\n');
    await waitFor(() => expect(terminalText()).toContain('after'));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  }, 15_000);

  it("keeps to the server of the window: stream and typing go to the VM's server", async () => {
    const typed: string[] = [];
    fakeServer({
      [`POST /hosts/h-1/vms/${vmId}/serial-console/input`]: (request: {
        body: { text: string };
      }) => {
        typed.push(request.body.text);
        return { status: 204 };
      },
    });
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType hostPath="/hosts/h-1" />);
    expect(stream().url).toBe(`/api/v1/hosts/h-1/vms/${vmId}/serial-console`);
    const user = userEvent.setup();
    await user.click(keyboardInput());
    await user.keyboard('ls{Enter}');
    await waitFor(() => expect(typed.join('')).toBe('ls\r'));
  });

  it('sends what is typed to the guest, in order', async () => {
    const typed: string[] = [];
    const { requests } = fakeServer({
      [`POST /vms/${vmId}/serial-console/input`]: (request: { body: { text: string } }) => {
        typed.push(request.body.text);
        return { status: 204 };
      },
    });
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType />);
    const user = userEvent.setup();
    await user.click(keyboardInput());
    await user.keyboard('ls{Enter}');
    await waitFor(() => expect(typed.join('')).toBe('ls\r'));
    expect(requests.every((r) => r.method === 'POST')).toBe(true);
  });

  it('says why the guest refused what was typed', async () => {
    fakeServer({
      [`POST /vms/${vmId}/serial-console/input`]: () => ({
        status: 409,
        body: {
          error: {
            code: 'INVALID_STATE',
            message: "Cannot type into the console of 'Ledger' while it is Paused.",
          },
        },
      }),
    });
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType />);
    const user = userEvent.setup();
    await user.click(keyboardInput());
    await user.keyboard('x');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Cannot type into the console of 'Ledger' while it is Paused.",
    );
  });

  it('only shows the console to a user who may not type into the guest', async () => {
    const { requests } = fakeServer({});
    renderWithClient(<SerialConsoleScreen vmId={vmId} canType={false} />);
    expect(
      screen.getByText(
        'Only an administrator can type into the guest; its console is shown read-only.',
      ),
    ).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(keyboardInput());
    await user.keyboard('reboot{Enter}');
    expect(requests).toEqual([]);
  });

  it('closes its stream when the window closes', () => {
    fakeServer({});
    const { unmount } = renderWithClient(<SerialConsoleScreen vmId={vmId} canType />);
    const source = stream();
    unmount();
    expect(source.closed).toBe(true);
  });
});
