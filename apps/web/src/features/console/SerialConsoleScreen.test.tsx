import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { vmId as asVmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SerialConsoleScreen } from './SerialConsoleScreen';

const vmId = asVmId('00000000-0000-4000-8000-000000000001');

/** The browser's EventSource as the server's serial console stream drives it. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data = '') {
    act(() => {
      for (const listener of this.listeners.get(type) ?? [])
        listener(new MessageEvent(type, { data }));
    });
  }
  /** An `output` or `backlog` event: the guest's bytes in base64, as the server sends them. */
  print(type: 'backlog' | 'output', text: string) {
    const bytes = new TextEncoder().encode(text);
    this.emit(type, btoa(String.fromCharCode(...bytes)));
  }
}

beforeEach(() => {
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  // jsdom has no media queries; xterm.js asks one for the device pixel ratio.
  vi.stubGlobal('matchMedia', (query: string): Partial<MediaQueryList> => ({
    matches: false,
    media: query,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
});
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

function stream(): FakeEventSource {
  const source = FakeEventSource.opened.at(-1);
  if (source === undefined) throw new Error('no serial console stream');
  return source;
}

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
