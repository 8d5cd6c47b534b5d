/**
 * Virtual Machine Connection's Clipboard menu on a QEMU guest's serial console: Type clipboard
 * text and Capture Screen (Ctrl+C), with the browser's clipboard and the picture maker faked.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DialogHost } from '../../app/DialogHost';
import { useSelectedHost } from '../../stores/selectedHostStore';
import { lastStream, stubConsoleBrowser } from '../../test/fakeEventSource';
import { aGuestConsole, aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { useVmConnectionStore } from './vmConnectionStore';

const picture = new Blob(['png bytes'], { type: 'image/png' });
const toBlob = vi.hoisted(() => vi.fn());
vi.mock('html-to-image', () => ({ toBlob }));

const TITLE = 'Web Server on HV-HOST-01 - Virtual Machine Connection';

const reader = {
  authentication: 'required',
  signedIn: true,
  user: {
    name: 'olivia',
    role: 'reader',
    roleName: 'Reader',
    virtualMachines: [],
    permissions: ['read', 'readHost'],
  },
  csrfToken: 'token',
  computerName: 'HV-HOST-01',
};

interface FakeClipboard {
  text: string;
  written: { types: string[]; item: unknown }[];
}

let clipboard: FakeClipboard;

class FakeClipboardItem {
  constructor(readonly items: Record<string, Blob | Promise<Blob>>) {}
  get types(): string[] {
    return Object.keys(this.items);
  }
}

/** The browser's clipboard; after `userEvent.setup()`, which puts a clipboard of its own. */
function fakeClipboard(): void {
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      readText: () => Promise.resolve(clipboard.text),
      writeText: (text: string) => {
        clipboard.text = text;
        return Promise.resolve();
      },
      write: async (items: FakeClipboardItem[]) => {
        for (const item of items) {
          for (const blob of Object.values(item.items)) await Promise.resolve(blob);
          clipboard.written.push({ types: item.types, item });
        }
      },
    },
  });
}

beforeEach(() => {
  stubConsoleBrowser();
  clipboard = { text: '', written: [] };
  vi.stubGlobal('ClipboardItem', FakeClipboardItem);
  toBlob.mockReset();
  toBlob.mockResolvedValue(picture);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

async function openWindow(routes: Record<string, unknown> = {}, hostId = 'local') {
  const vm = aVm({ state: 'Running' });
  const on = hostId === 'local' ? '' : `/hosts/${hostId}`;
  const server = fakeServer({
    [`GET ${on}/host`]: host,
    // The frame reads the list before the test selects another server.
    'GET /vms': [vm],
    [`GET ${on}/vms`]: [vm],
    [`GET ${on}/vms/${vm.id}/console`]: aGuestConsole(vm, {
      guestImage: 'tiny-linux',
      os: 'Linux',
      serialConsole: true,
    }),
    ...routes,
  });
  const result = renderWithClient(<DialogHost />);
  if (hostId !== 'local') act(() => useSelectedHost.getState().select(hostId));
  const user = userEvent.setup();
  fakeClipboard();
  act(() => {
    useVmConnectionStore.getState().openConnection(vm.id);
  });
  const window = await screen.findByRole('dialog', { name: TITLE }, { timeout: 10_000 });
  await within(window).findByRole('group', { name: 'Serial console' }, { timeout: 10_000 });
  return { ...result, server, user, window, vm };
}

async function clipboardMenu(user: ReturnType<typeof userEvent.setup>, window: HTMLElement) {
  await user.click(within(window).getByRole('menuitem', { name: 'Clipboard' }));
  return within(window).getByRole('menu', { name: 'Clipboard' });
}

describe('the Clipboard menu of a serial console', () => {
  it('types the clipboard text into the guest, line breaks as Enter', async () => {
    const typed: string[] = [];
    const vmPath = `/vms/${aVm().id}/serial-console/input`;
    const { user, window } = await openWindow({
      [`POST ${vmPath}`]: (request: { body: { text: string } }) => {
        typed.push(request.body.text);
        return { status: 204 };
      },
    });
    clipboard.text = 'cd /data\nls -l\n';
    const menu = await clipboardMenu(user, window);
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Type clipboard text', 'Capture ScreenCtrl+C']);
    await user.click(within(menu).getByRole('menuitem', { name: 'Type clipboard text' }));
    await waitFor(() => expect(typed.join('')).toBe('cd /data\rls -l\r'));
  });

  it('types into the VM on the server the window was opened on', async () => {
    const typed: string[] = [];
    const { user, window, vm } = await openWindow(
      {
        [`POST /hosts/h-1/vms/${aVm().id}/serial-console/input`]: (request: {
          body: { text: string };
        }) => {
          typed.push(request.body.text);
          return { status: 204 };
        },
      },
      'h-1',
    );
    expect(lastStream().url).toBe(`/api/v1/hosts/h-1/vms/${vm.id}/serial-console`);
    clipboard.text = 'uptime\n';
    const menu = await clipboardMenu(user, window);
    await user.click(within(menu).getByRole('menuitem', { name: 'Type clipboard text' }));
    await waitFor(() => expect(typed.join('')).toBe('uptime\r'));
  });

  it('refuses clipboard text holding a control character, and types nothing', async () => {
    const { user, window, server } = await openWindow();
    clipboard.text = 'echo ok\u001b[201~\nreboot\n';
    const menu = await clipboardMenu(user, window);
    await user.click(within(menu).getByRole('menuitem', { name: 'Type clipboard text' }));
    expect(await within(window).findByRole('alert')).toHaveTextContent(
      'The clipboard text holds a control character (U+001B) that would act as a command in the guest',
    );
    expect(server.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('greys out Type clipboard text for a user who may not type into the guest', async () => {
    const { user, window } = await openWindow({ 'GET /session': reader });
    await waitFor(() =>
      expect(
        within(window).getByText(
          'Only an administrator can type into the guest; its console is shown read-only.',
        ),
      ).toBeInTheDocument(),
    );
    const menu = await clipboardMenu(user, window);
    expect(within(menu).getByRole('menuitem', { name: 'Type clipboard text' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    // Watching is allowed: a Reader may capture the screen.
    expect(within(menu).getByRole('menuitem', { name: /Capture Screen/ })).toHaveAttribute(
      'aria-disabled',
      'false',
    );
  });

  it('Capture Screen copies a picture of the terminal as shown', async () => {
    const { user, window } = await openWindow();
    lastStream().print('backlog', 'HVM-READY\r\n~ # ');
    const menu = await clipboardMenu(user, window);
    await user.click(within(menu).getByRole('menuitem', { name: /Capture Screen/ }));
    await waitFor(() => expect(clipboard.written).toHaveLength(1));
    expect(clipboard.written[0]?.types).toEqual(['image/png']);
    const [node, options] = toBlob.mock.calls[0] as [HTMLElement, { backgroundColor: string }];
    expect(node).toHaveClass('xterm-screen');
    expect(within(window).getByRole('group', { name: 'Serial console' })).toContainElement(node);
    expect(options.backgroundColor).toBe('#000000');
  });

  it('Ctrl+C captures the screen when the window has the keyboard and nothing is selected', async () => {
    const { user, window } = await openWindow();
    within(window).getByRole('group', { name: 'Guest screen' }).focus();
    await user.keyboard('{Control>}c{/Control}');
    await waitFor(() => expect(clipboard.written).toHaveLength(1));
  });

  it('says why the screen could not be copied', async () => {
    toBlob.mockResolvedValue(null);
    const { user, window } = await openWindow();
    const menu = await clipboardMenu(user, window);
    await user.click(within(menu).getByRole('menuitem', { name: /Capture Screen/ }));
    expect(await within(window).findByRole('alert')).toHaveTextContent(
      'The screen could not be copied to the clipboard: The screen could not be captured.',
    );
  });
});
