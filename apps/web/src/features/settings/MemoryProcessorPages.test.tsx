import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VmDetail } from '@hvm/engine';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SettingsForm } from './SettingsDialog';

const HARDWARE = {
  processorCount: 1,
  dynamicMemoryEnabled: false,
  memoryMinimumMB: 512,
  memoryMaximumMB: 1_048_576,
  memoryBufferPercent: 20,
  memoryWeight: 50,
};

function openSettings(vm: VmDetail = aVm({ memoryStartupMB: 1024, hardware: HARDWARE })) {
  const server = fakeServer({
    [`PATCH /vms/${vm.id}`]: ({ body }: { body: unknown }) => ({
      body: { ...vm, ...(body as object) },
    }),
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    'GET /host': { name: 'HOST', vmCount: 1, maxCheckpointsPerVm: 50, logicalProcessorCount: 4 },
  });
  const onClose = vi.fn();
  renderWithClient(<SettingsForm vm={vm} onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
  return { server, onClose, dialog, user: userEvent.setup() };
}

const patches = (server: ReturnType<typeof openSettings>['server']) =>
  server.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);

describe('Settings: Memory', () => {
  it('shows startup RAM and Dynamic Memory off, its range and buffer greyed out', () => {
    const { dialog } = openSettings();
    const panel = within(dialog).getByRole('tabpanel', { name: 'Memory' });
    expect(within(panel).getByRole('spinbutton', { name: 'Startup RAM:' })).toHaveValue(1024);
    expect(
      within(panel).getByRole('checkbox', { name: 'Enable Dynamic Memory' }),
    ).not.toBeChecked();
    for (const name of ['Minimum RAM:', 'Maximum RAM:', 'Memory buffer:'])
      expect(within(panel).getByRole('spinbutton', { name })).toBeDisabled();
  });

  it('turning Dynamic Memory on with a range sends only what changed', async () => {
    const { dialog, user, server, onClose } = openSettings();
    await user.click(within(dialog).getByRole('checkbox', { name: 'Enable Dynamic Memory' }));
    const minimum = within(dialog).getByRole('spinbutton', { name: 'Minimum RAM:' });
    const maximum = within(dialog).getByRole('spinbutton', { name: 'Maximum RAM:' });
    await user.clear(minimum);
    await user.type(minimum, '256');
    await user.clear(maximum);
    await user.type(maximum, '4096');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches(server)).toEqual([
      { dynamicMemoryEnabled: true, memoryMinimumMB: 256, memoryMaximumMB: 4096 },
    ]);
  });

  it('an odd number of MB is shown as an error next to the field, and nothing is sent', async () => {
    const { dialog, user, server, onClose } = openSettings();
    const startup = within(dialog).getByRole('spinbutton', { name: 'Startup RAM:' });
    await user.clear(startup);
    await user.type(startup, '1025');
    expect(startup).toBeInvalid();
    expect(startup).toHaveAccessibleDescription('Startup RAM must be a multiple of 2 MB.');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(onClose).not.toHaveBeenCalled();
    expect(patches(server)).toEqual([]);
  });

  it('with Dynamic Memory, a minimum above startup and a maximum below it are errors in place', async () => {
    const vm = aVm({
      memoryStartupMB: 1024,
      hardware: { ...HARDWARE, dynamicMemoryEnabled: true },
    });
    const { dialog, user } = openSettings(vm);
    const minimum = within(dialog).getByRole('spinbutton', { name: 'Minimum RAM:' });
    const maximum = within(dialog).getByRole('spinbutton', { name: 'Maximum RAM:' });
    const buffer = within(dialog).getByRole('spinbutton', { name: 'Memory buffer:' });
    await user.clear(minimum);
    await user.type(minimum, '2048');
    await user.clear(maximum);
    await user.type(maximum, '512');
    await user.clear(buffer);
    await user.type(buffer, '3');
    expect(minimum).toHaveAccessibleDescription('Minimum RAM cannot be more than Startup RAM.');
    expect(maximum).toHaveAccessibleDescription('Maximum RAM cannot be less than Startup RAM.');
    expect(buffer).toHaveAccessibleDescription(
      'The memory buffer must be a whole number between 5 and 2000.',
    );
  });

  it('OK with a problem on the Memory page while another page is shown brings the Memory page back', async () => {
    const { dialog, user, server } = openSettings();
    const startup = within(dialog).getByRole('spinbutton', { name: 'Startup RAM:' });
    await user.clear(startup);
    await user.type(startup, '16');
    await user.click(within(dialog).getByRole('tab', { name: 'Name' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(within(dialog).getByRole('tab', { name: 'Memory' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      within(dialog).getByRole('spinbutton', { name: 'Startup RAM:' }),
    ).toHaveAccessibleDescription(
      'Startup RAM must be a whole number of MB between 32 and 1048576.',
    );
    expect(patches(server)).toEqual([]);
  });

  it('a running VM has startup RAM and Dynamic Memory greyed out, with the reason', () => {
    const { dialog } = openSettings(
      aVm({ state: 'Running', memoryStartupMB: 1024, hardware: HARDWARE }),
    );
    expect(within(dialog).getByRole('spinbutton', { name: 'Startup RAM:' })).toBeDisabled();
    expect(within(dialog).getByRole('checkbox', { name: 'Enable Dynamic Memory' })).toBeDisabled();
    expect(dialog).toHaveTextContent(
      'Some settings cannot be modified because the virtual machine was running when this window was opened.',
    );
  });
});

describe('Settings: Processor', () => {
  it('changes the number of virtual processors', async () => {
    const { dialog, user, server, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Processor' }));
    const count = within(dialog).getByRole('spinbutton', { name: 'Number of virtual processors:' });
    expect(count).toHaveValue(1);
    await user.clear(count);
    await user.type(count, '4');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches(server)).toEqual([{ processorCount: 4 }]);
  });

  it("more processors than the host's logical processors is an error in place", async () => {
    const { dialog, user, server } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Processor' }));
    const count = within(dialog).getByRole('spinbutton', { name: 'Number of virtual processors:' });
    await user.clear(count);
    await user.type(count, '8');
    await waitFor(() =>
      expect(count).toHaveAccessibleDescription(
        'The number of virtual processors must be between 1 and 4.',
      ),
    );
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(patches(server)).toEqual([]);
  });

  it('a running VM has the number greyed out', async () => {
    const { dialog, user } = openSettings(aVm({ state: 'Running', hardware: HARDWARE }));
    await user.click(within(dialog).getByRole('tab', { name: 'Processor' }));
    expect(
      within(dialog).getByRole('spinbutton', { name: 'Number of virtual processors:' }),
    ).toBeDisabled();
  });
});
