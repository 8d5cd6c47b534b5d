import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useUiStore } from '../../stores/uiStore';
import { aVm, vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { TYPE_AHEAD_PAUSE_MS } from './typeAhead';
import { VmList } from './VmList';

const vms = [
  aVm({ id: vmId('dc'), name: 'DC-01' }),
  aVm({ id: vmId('legacy'), name: 'LEGACY-NT' }),
  aVm({ id: vmId('sql'), name: 'SQL-PROD-01' }),
  aVm({ id: vmId('sql2'), name: 'SQL-TEST-02' }),
  aVm({ id: vmId('web'), name: 'WEB-UBUNTU-01' }),
];

/** The clock the type-ahead reads: moved by hand, never by waiting. */
let now = 1_000_000;
afterEach(() => vi.restoreAllMocks());

async function showList() {
  vi.spyOn(Date, 'now').mockImplementation(() => now);
  fakeServer({ 'GET /vms': vms });
  renderWithClient(<VmList />);
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  await within(grid).findByText('DC-01');
  const first = grid.querySelector<HTMLElement>('[data-vm-row]');
  first?.focus();
  return { grid, user: userEvent.setup() };
}

const selected = () => useUiStore.getState().selectedVmId;
const rowOf = (grid: HTMLElement, id: string) => grid.querySelector(`[data-vm-row="${id}"]`);

describe('type-ahead in the Virtual Machines list', () => {
  it('selects and focuses the VM whose name starts with the letters typed', async () => {
    const { grid, user } = await showList();
    await user.keyboard('w');
    expect(selected()).toBe('web');
    expect(rowOf(grid, 'web')).toHaveFocus();
    now += TYPE_AHEAD_PAUSE_MS + 1;
    await user.keyboard('sql-t');
    expect(selected()).toBe('sql2');
  });

  it('the same letter again steps to the next name with that letter', async () => {
    const { user } = await showList();
    await user.keyboard('s');
    expect(selected()).toBe('sql');
    await user.keyboard('s');
    expect(selected()).toBe('sql2');
    await user.keyboard('s');
    expect(selected()).toBe('sql');
  });

  it('starts a new search after a pause', async () => {
    const { user } = await showList();
    await user.keyboard('l');
    expect(selected()).toBe('legacy');
    now += TYPE_AHEAD_PAUSE_MS + 1;
    await user.keyboard('d');
    expect(selected()).toBe('dc');
  });

  it('letters no name starts with leave the selection', async () => {
    const { user } = await showList();
    await user.keyboard('w');
    now += TYPE_AHEAD_PAUSE_MS + 1;
    await user.keyboard('q');
    expect(selected()).toBe('web');
  });
});
