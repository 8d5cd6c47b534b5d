import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VmDetail } from '@hvm/engine';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SettingsForm } from './SettingsDialog';

function openSettings(vm: VmDetail = aVm()) {
  const server = fakeServer({
    [`PATCH /vms/${vm.id}`]: ({ body }: { body: unknown }) => ({
      body: { ...vm, ...(body as object) },
    }),
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
  });
  const onClose = vi.fn();
  renderWithClient(<SettingsForm vm={vm} onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
  return { server, onClose, dialog, user: userEvent.setup() };
}

const START_IF_RUNNING = 'Automatically start if it was running when the service stopped';

describe('Settings: Automatic Start Action', () => {
  it("shows Hyper-V's three choices with the VM's current one and the startup delay", async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Automatic Start Action' }));
    const panel = within(dialog).getByRole('tabpanel', { name: 'Automatic Start Action' });
    expect(
      within(panel)
        .getAllByRole('radio')
        .map((r) => r.parentElement?.textContent),
    ).toEqual(['Nothing', START_IF_RUNNING, 'Always start this virtual machine automatically']);
    expect(within(panel).getByRole('radio', { name: START_IF_RUNNING })).toBeChecked();
    expect(within(panel).getByRole('spinbutton', { name: 'Startup delay (seconds)' })).toHaveValue(
      0,
    );
  });

  it('OK sends only the changed action and delay', async () => {
    const { dialog, user, server, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Automatic Start Action' }));
    await user.click(
      within(dialog).getByRole('radio', {
        name: 'Always start this virtual machine automatically',
      }),
    );
    const delay = within(dialog).getByRole('spinbutton', { name: 'Startup delay (seconds)' });
    await user.clear(delay);
    await user.type(delay, '30');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      automaticStartAction: 'Start',
      automaticStartDelaySeconds: 30,
    });
  });

  it('refuses a negative delay before asking the server', async () => {
    const { dialog, user, server } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Automatic Start Action' }));
    const delay = within(dialog).getByRole('spinbutton', { name: 'Startup delay (seconds)' });
    await user.clear(delay);
    await user.type(delay, '-4');
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'The startup delay must be a whole number of seconds between 0 and 86400.',
    );
    expect(server.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('disables the delay when Nothing is chosen', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Automatic Start Action' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Nothing' }));
    expect(
      within(dialog).getByRole('spinbutton', { name: 'Startup delay (seconds)' }),
    ).toBeDisabled();
  });
});

describe('Settings: Automatic Stop Action', () => {
  it('shows Save checked by default and sends ShutDown when chosen', async () => {
    const { dialog, user, server } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Automatic Stop Action' }));
    expect(
      within(dialog).getByRole('radio', { name: 'Save the virtual machine state' }),
    ).toBeChecked();
    expect(
      within(dialog).getByRole('radio', { name: 'Turn off the virtual machine' }),
    ).not.toBeChecked();
    await user.click(
      within(dialog).getByRole('radio', { name: 'Shut down the guest operating system' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
        automaticStopAction: 'ShutDown',
      }),
    );
  });
});

describe('Settings: Hard Drive', () => {
  it('lists each hard drive with its location and path, and Inspect opens Inspect Disk on it', async () => {
    const path = 'Virtual Hard Disks/Web Server_1A2B.avhdx';
    const vm = aVm({
      hardDrives: [
        {
          controllerLocation: 'SCSI 0:0',
          path,
          chain: [path, 'Virtual Hard Disks/Web Server.vhdx'],
          virtualSizeBytes: 127 * 1024 ** 3,
        },
      ],
    });
    const { dialog, user, server } = openSettings(vm);
    await user.click(within(dialog).getByRole('tab', { name: 'Hard Drive' }));
    expect(dialog).toHaveTextContent('SCSI 0:0');
    expect(dialog).toHaveTextContent(path);
    expect(dialog).toHaveTextContent('127 GB');
    await user.click(within(dialog).getByRole('button', { name: `Inspect ${path}` }));
    const inspect = await screen.findByRole('dialog', { name: 'Inspect Disk' });
    expect(within(inspect).getByRole('textbox', { name: 'Disk path' })).toHaveValue(path);
    await waitFor(() =>
      expect(server.requests.some((r) => r.path.startsWith('/disks/inspect?path='))).toBe(true),
    );
    const [, closeButton] = within(inspect).getAllByRole('button', { name: 'Close' });
    if (closeButton) await user.click(closeButton);
    expect(screen.queryByRole('dialog', { name: 'Inspect Disk' })).toBeNull();
    expect(screen.getByRole('dialog', { name: `Settings for ${vm.name}` })).toBeInTheDocument();
  });
});

describe('Settings: Checkpoint File Location Browse...', () => {
  it("lists the host's folders and puts the chosen one in the box", async () => {
    const vm = aVm();
    const server = fakeServer({
      'GET /vms': [vm],
      'GET /disks': [
        { path: 'Virtual Hard Disks/a.vhdx', extension: 'vhdx', fileSizeBytes: 1, usedBy: [] },
        { path: 'Fast/Checkpoints/b.avhdx', extension: 'avhdx', fileSizeBytes: 1, usedBy: [] },
      ],
    });
    renderWithClient(<SettingsForm vm={vm} onClose={vi.fn()} />);
    const user = userEvent.setup();
    const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    await user.click(within(dialog).getByRole('button', { name: 'Browse...' }));
    const picker = await screen.findByRole('dialog', { name: 'Select Folder' });
    await user.click(await within(picker).findByRole('radio', { name: 'Fast/Checkpoints' }));
    await user.click(within(picker).getByRole('button', { name: 'Select Folder' }));
    expect(within(dialog).getByRole('textbox', { name: 'Checkpoint File Location' })).toHaveValue(
      'Fast/Checkpoints',
    );
    expect(server.requests.some((r) => r.path === '/disks')).toBe(true);
  });
});
