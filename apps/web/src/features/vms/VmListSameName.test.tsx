import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useUiStore } from '../../stores/uiStore';
import { aVm, vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { VmList } from './VmList';

/** Hyper-V allows several VMs of one name; each is its own row, selected by its ID (R36). */
describe('Virtual Machines list: two VMs of one name', () => {
  it('shows two rows, and clicking the second selects that VM, not the first', async () => {
    const first = aVm({ id: vmId('vm-a'), name: 'WEB-01', state: 'Running' });
    const second = aVm({ id: vmId('vm-b'), name: 'WEB-01', state: 'Off' });
    fakeServer({ 'GET /vms': [first, second] });
    renderWithClient(<VmList />);
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    const rows = await within(grid).findAllByText('WEB-01');
    expect(rows).toHaveLength(2);
    const offRow = within(grid)
      .getAllByRole('row')
      .find((row) => row.hasAttribute('data-vm-row') && within(row).queryByText('Off') !== null);
    if (offRow === undefined) throw new Error('no row for the Off VM');
    await userEvent.setup().click(within(offRow).getByText('WEB-01'));
    expect(useUiStore.getState().selectedVmId).toBe('vm-b');
  });
});
