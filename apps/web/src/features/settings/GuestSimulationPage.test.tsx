import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SettingsForm } from './SettingsDialog';

const GENERATION_ID = '5b2f4a0e-3c1d-4e7f-9a8b-0c1d2e3f4a5b';

function openGuestSimulation() {
  const vm = aVm({
    vmGenerationId: GENERATION_ID,
    guestSimulation: { vssWriterFails: false, backupDaemonStopped: false, ignoresShutdown: false },
  });
  const server = fakeServer({
    [`PATCH /vms/${vm.id}/guest-simulation`]: ({ body }: { body: unknown }) => ({
      body: { ...vm, guestSimulation: { ...vm.guestSimulation, ...(body as object) } },
    }),
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
  });
  renderWithClient(<SettingsForm vm={vm} onClose={vi.fn()} />);
  const dialog = screen.getByRole('dialog', { name: `Settings for ${vm.name}` });
  return { vm, server, dialog, user: userEvent.setup() };
}

describe('Settings dialog, Guest (simulation) page', () => {
  it('is a page of its own, marked as part of the simulation, showing the VM-Generation ID', async () => {
    const { dialog, user } = openGuestSimulation();
    await user.click(within(dialog).getByRole('tab', { name: 'Guest (simulation)' }));
    const panel = within(dialog).getByRole('tabpanel', { name: 'Guest (simulation)' });
    expect(within(panel).getByText(/part of the simulation, not of Hyper-V/)).toBeInTheDocument();
    expect(within(panel).getByText(GENERATION_ID)).toBeInTheDocument();
    for (const name of [
      'The VSS writer of the application fails',
      'The backup daemon in the guest is stopped',
      'The guest does not answer Shut Down',
    ])
      expect(within(panel).getByRole('checkbox', { name })).not.toBeChecked();
  });

  it('turns a fault on at once through its own route, outside OK and Apply', async () => {
    const { vm, server, dialog, user } = openGuestSimulation();
    await user.click(within(dialog).getByRole('tab', { name: 'Guest (simulation)' }));
    const box = within(dialog).getByRole('checkbox', {
      name: 'The guest does not answer Shut Down',
    });
    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(
      server.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body]),
    ).toEqual([[`/vms/${vm.id}/guest-simulation`, { ignoresShutdown: true }]]);
    // Nothing for OK / Apply to save: the VM's settings did not change.
    expect(within(dialog).getByRole('button', { name: 'Apply' })).toBeDisabled();
  });
});
