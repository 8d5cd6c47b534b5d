import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VmDetail } from '@hvm/engine';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { SettingsForm } from './SettingsDialog';
import { LOCATION_LOCKED_TEXT } from './CheckpointsPage';

const FALLBACK =
  "Create standard checkpoints if it's not possible to create a production checkpoint";

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

describe('Settings dialog, Checkpoints page', () => {
  it('shows Production with fallback checked for a VM of type Production', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    expect(within(dialog).getByRole('checkbox', { name: 'Enable checkpoints' })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Production checkpoints' })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: FALLBACK })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: FALLBACK })).toBeEnabled();
  });

  it('disables the fallback box when Standard is chosen', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Standard checkpoints' }));
    expect(within(dialog).getByRole('checkbox', { name: FALLBACK })).toBeDisabled();
  });

  it('disables everything under Enable checkpoints when it is cleared', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Enable checkpoints' }));
    expect(within(dialog).getByRole('radio', { name: 'Production checkpoints' })).toBeDisabled();
    expect(within(dialog).getByRole('radio', { name: 'Standard checkpoints' })).toBeDisabled();
    expect(within(dialog).getByRole('checkbox', { name: FALLBACK })).toBeDisabled();
    expect(
      within(dialog).getByRole('checkbox', { name: 'Use automatic checkpoints' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('textbox', { name: 'Checkpoint File Location' }),
    ).toBeDisabled();
  });

  it('makes the file location read-only, with the reason, when the VM has checkpoints', async () => {
    const { dialog, user } = openSettings(aVm({ checkpointCount: 2 }));
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    const location = within(dialog).getByRole('textbox', { name: 'Checkpoint File Location' });
    expect(location).toHaveAttribute('readonly');
    expect(location).toHaveAccessibleDescription(expect.stringContaining(LOCATION_LOCKED_TEXT));
  });

  it('keeps the file location editable when the VM has no checkpoints', async () => {
    const { dialog, user } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    expect(
      within(dialog).getByRole('textbox', { name: 'Checkpoint File Location' }),
    ).not.toHaveAttribute('readonly');
  });

  it('OK after clearing the fallback box sends only checkpointType ProductionOnly, then closes', async () => {
    const { dialog, user, server, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    await user.click(within(dialog).getByRole('checkbox', { name: FALLBACK }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toEqual([
      {
        method: 'PATCH',
        path: '/vms/11111111-1111-1111-1111-111111111111',
        body: { checkpointType: 'ProductionOnly' },
      },
    ]);
  });

  it('OK with Enable cleared sends Disabled', async () => {
    const { dialog, user, server, onClose } = openSettings(aVm({ checkpointType: 'Standard' }));
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Enable checkpoints' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      checkpointType: 'Disabled',
    });
  });

  it('Apply is disabled until something changes, saves and stays open', async () => {
    const { dialog, user, server, onClose } = openSettings();
    const apply = within(dialog).getByRole('button', { name: 'Apply' });
    expect(apply).toBeDisabled();
    await user.click(within(dialog).getByRole('tab', { name: 'Name' }));
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'DB "01" <script>');
    expect(apply).toBeEnabled();
    await user.click(apply);
    await waitFor(() => expect(apply).toBeDisabled());
    expect(onClose).not.toHaveBeenCalled();
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      name: 'DB "01" <script>',
    });
  });

  it('sends only the integration service that changed', async () => {
    const { dialog, user, server, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Integration Services' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Guest services' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      integrationServices: { guestServices: true },
    });
  });

  it('Cancel discards changes without a request', async () => {
    const { dialog, user, server, onClose } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Checkpoints' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Standard checkpoints' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
    expect(server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it("shows a summary line and the server's message when saving fails", async () => {
    const vm = aVm();
    fakeServer({
      [`PATCH /vms/${vm.id}`]: () => ({
        status: 409,
        body: {
          error: {
            code: 'NAME_CONFLICT',
            message: 'A virtual machine named "X" already exists.',
            details: {},
          },
        },
      }),
    });
    const onClose = vi.fn();
    renderWithClient(<SettingsForm vm={vm} onClose={onClose} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: 'Name' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'X');
    await user.click(screen.getByRole('button', { name: 'OK' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The changes could not be applied.');
    expect(alert).toHaveTextContent('A virtual machine named "X" already exists.');
    expect(onClose).not.toHaveBeenCalled();
  });
});
