import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DialogHost } from '../../app/DialogHost';
import { useUiStore } from '../../stores/uiStore';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

const vm = aVm({ name: 'WEB-01', state: 'Off', checkpointCount: 2 });

describe('Delete Selected Virtual Machines dialog', () => {
  it('says the virtual hard disks are kept and the checkpoints merged into them, then sends DELETE', async () => {
    const server = fakeServer({
      'GET /vms': [vm],
      [`DELETE /vms/${vm.id}`]: null,
    });
    renderWithClient(<DialogHost />);
    useUiStore.getState().openDialog({ kind: 'delete-vm', vmId: vm.id });
    const user = userEvent.setup();

    const dialog = await screen.findByRole('dialog', { name: 'Delete Selected Virtual Machines' });
    await waitFor(() =>
      expect(dialog).toHaveTextContent('Are you sure you want to delete WEB-01?'),
    );
    expect(dialog).toHaveTextContent(
      'Deleting a virtual machine deletes its configuration file, but does not delete any virtual hard disks.',
    );
    expect(dialog).toHaveTextContent(
      'If the virtual machine has any checkpoints, these are deleted and merged into the virtual hard disk files after the virtual machine is deleted.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'DELETE')).toMatchObject({
      method: 'DELETE',
      path: `/vms/${vm.id}`,
    });
  });
});
