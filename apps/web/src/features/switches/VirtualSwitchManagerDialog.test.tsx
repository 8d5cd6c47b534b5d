import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VirtualSwitch } from '@hvm/engine';
import { host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { VirtualSwitchManagerForm } from './VirtualSwitchManagerDialog';

const defaultSwitch: VirtualSwitch = {
  id: 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444',
  name: 'Default Switch',
  switchType: 'Internal',
  notes: '',
  isDefaultSwitch: true,
  connectedAdapterCount: 2,
};
const lab: VirtualSwitch = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Lab',
  switchType: 'Private',
  notes: '',
  isDefaultSwitch: false,
  connectedAdapterCount: 0,
};

function openManager(switches: VirtualSwitch[]) {
  const server = fakeServer({
    'GET /host': host,
    'GET /virtual-switches': switches,
    'POST /virtual-switches': ({ body }: { body: unknown }) => ({
      status: 201,
      body: { ...lab, ...(body as object) },
    }),
    [`PATCH /virtual-switches/${lab.id}`]: ({ body }: { body: unknown }) => ({
      body: { ...lab, ...(body as object) },
    }),
    [`DELETE /virtual-switches/${lab.id}`]: { virtualSwitch: lab, disconnectedVmIds: [] },
  });
  const onClose = vi.fn();
  renderWithClient(<VirtualSwitchManagerForm switches={switches} onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: /^Virtual Switch Manager/ });
  return { server, onClose, dialog, user: userEvent.setup() };
}

describe('Virtual Switch Manager', () => {
  it('lists New virtual network switch and the switches with their type; the Default Switch cannot be changed', () => {
    const { dialog } = openManager([defaultSwitch, lab]);
    const tabs = within(dialog).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual([
      'New virtual network switch',
      'Default SwitchInternal virtual switch (Default Switch)',
      'LabPrivate virtual switch',
    ]);
    expect(within(dialog).getByRole('textbox', { name: 'Name:' })).toHaveValue('Default Switch');
    expect(within(dialog).getByRole('textbox', { name: 'Name:' })).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: 'Remove' })).toBeDisabled();
  });

  it('creates a Private switch on Apply, with the name typed; External cannot be created', async () => {
    const { dialog, user, server } = openManager([defaultSwitch]);
    await user.click(within(dialog).getByRole('tab', { name: 'New virtual network switch' }));
    await user.click(within(dialog).getByRole('radio', { name: 'External' }));
    expect(within(dialog).getByRole('button', { name: 'Create Virtual Switch' })).toBeDisabled();
    await user.click(within(dialog).getByRole('radio', { name: 'Private' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create Virtual Switch' }));
    const name = within(dialog).getByRole('textbox', { name: 'Name:' });
    await user.clear(name);
    await user.type(name, 'Lab');
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(server.requests).toContainEqual({
        method: 'POST',
        path: '/virtual-switches',
        body: { name: 'Lab', switchType: 'Private', notes: '' },
      }),
    );
  });

  it('renames, changes the connection type and removes a switch only when OK is pressed', async () => {
    const { dialog, user, server, onClose } = openManager([defaultSwitch, lab]);
    await user.click(within(dialog).getByRole('tab', { name: 'Lab' }));
    const name = within(dialog).getByRole('textbox', { name: 'Name:' });
    await user.clear(name);
    await user.type(name, 'Lab 2');
    await user.click(within(dialog).getByRole('radio', { name: 'Internal network' }));
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests).toContainEqual({
      method: 'PATCH',
      path: `/virtual-switches/${lab.id}`,
      body: { name: 'Lab 2', switchType: 'Internal' },
    });
  });

  it('Remove takes the switch out of the list; Apply deletes it', async () => {
    const { dialog, user, server } = openManager([defaultSwitch, lab]);
    await user.click(within(dialog).getByRole('tab', { name: 'Lab' }));
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(within(dialog).queryByRole('tab', { name: 'Lab' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(server.requests).toContainEqual({
        method: 'DELETE',
        path: `/virtual-switches/${lab.id}`,
        body: undefined,
      }),
    );
  });
});
