import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { VmSummary } from '@hvm/engine';
import { useUiStore } from '../../stores/uiStore';
import { aVm, vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { VmList } from './VmList';

function manyVms(count: number): VmSummary[] {
  return Array.from({ length: count }, (_, i) =>
    aVm({
      id: vmId(`vm-${String(i).padStart(4, '0')}`),
      name: `VM ${String(i + 1).padStart(3, '0')}`,
      state: i % 3 === 0 ? 'Running' : 'Off',
    }),
  );
}

async function showList(vms: VmSummary[], routes: Record<string, unknown> = {}) {
  const server = fakeServer({ 'GET /vms': vms, ...routes });
  renderWithClient(<VmList />);
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  await within(grid).findByText(vms[0]?.name ?? '');
  return { grid, server, user: userEvent.setup() };
}

const dataRows = (grid: HTMLElement) =>
  within(grid)
    .getAllByRole('row')
    .filter((r) => r.hasAttribute('data-vm-row'));

describe('Virtual Machines list with 500 VMs', () => {
  it('renders only a window of rows yet announces all of them', async () => {
    const { grid } = await showList(manyVms(500));
    expect(grid).toHaveAttribute('aria-rowcount', '501');
    const rows = dataRows(grid);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]).toHaveAttribute('aria-rowindex', '2');
  });

  it('End reaches the last row by keyboard, scrolled into view and focused', async () => {
    const { grid, user } = await showList(manyVms(500));
    const first = dataRows(grid)[0];
    if (!first) throw new Error('no row');
    first.focus();
    await user.keyboard('{ArrowDown}');
    expect(useUiStore.getState().selectedVmId).toBe('vm-0001');
    await user.keyboard('{End}');
    await waitFor(() => expect(within(grid).getByText('VM 500')).toBeInTheDocument());
    const last = within(grid).getByText('VM 500').closest('tr');
    expect(last).toHaveAttribute('aria-rowindex', '501');
    expect(last).toHaveFocus();
    expect(useUiStore.getState().selectedVmId).toBe('vm-0499');
    expect(dataRows(grid).length).toBeLessThan(60);
    expect(within(grid).queryByText('VM 001')).toBeNull();
    await user.keyboard('{Home}');
    await waitFor(() => expect(within(grid).getByText('VM 001').closest('tr')).toHaveFocus());
  });

  it('scrolling shows the rows at that position', async () => {
    const { grid } = await showList(manyVms(500));
    const scroller = grid.parentElement;
    if (!scroller) throw new Error('no scroller');
    Object.defineProperty(scroller, 'scrollTop', { value: 22 * 250, configurable: true });
    fireEvent.scroll(scroller);
    await waitFor(() => expect(within(grid).getByText('VM 251')).toBeInTheDocument());
    expect(within(grid).queryByText('VM 001')).toBeNull();
  });
});

describe('Rename of a VM in the list', () => {
  const vm = aVm({ name: 'Web Server' });
  const routes = {
    [`PATCH /vms/${vm.id}`]: ({ body }: { body: unknown }) => ({
      body: { ...vm, ...(body as object) },
    }),
    [`GET /vms/${vm.id}`]: vm,
  };

  it('F2 edits the name in place; an empty name is refused, Esc cancels', async () => {
    const { grid, server, user } = await showList([vm], routes);
    dataRows(grid)[0]?.focus();
    await user.keyboard('{F2}');
    const box = within(grid).getByRole('textbox', { name: 'Virtual machine name' });
    expect(box).toHaveFocus();
    await user.clear(box);
    await user.keyboard('{Enter}');
    expect(within(grid).getByRole('alert')).toHaveTextContent(
      'The virtual machine name cannot be empty.',
    );
    await user.keyboard('{Escape}');
    expect(within(grid).queryByRole('textbox')).toBeNull();
    expect(within(grid).getByText('Web Server')).toBeInTheDocument();
    expect(server.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('refuses 101 characters and commits 100 with Enter as a PATCH of the name', async () => {
    const { grid, server, user } = await showList([vm], routes);
    useUiStore.getState().startVmRename(vm.id);
    const box = await within(grid).findByRole('textbox', { name: 'Virtual machine name' });
    fireEvent.change(box, { target: { value: 'x'.repeat(101) } });
    await user.type(box, '{Enter}');
    expect(within(grid).getByRole('alert')).toHaveTextContent(
      'The virtual machine name cannot be longer than 100 characters.',
    );
    fireEvent.change(box, { target: { value: 'y'.repeat(100) } });
    await user.type(box, '{Enter}');
    await waitFor(() => expect(useUiStore.getState().renamingVmId).toBeNull());
    expect(server.requests.find((r) => r.method === 'PATCH')).toEqual({
      method: 'PATCH',
      path: `/vms/${vm.id}`,
      body: { name: 'y'.repeat(100) },
    });
  });

  it('Enter on a row opens Connect..., Del asks to delete, Shift+F10 opens the menu', async () => {
    const { grid, user } = await showList([vm], routes);
    dataRows(grid)[0]?.focus();
    await user.keyboard('{Enter}');
    expect(useUiStore.getState().dialog).toEqual({ kind: 'vm-connection', vmId: vm.id });
    useUiStore.getState().closeDialog();
    dataRows(grid)[0]?.focus();
    await user.keyboard('{Delete}');
    expect(useUiStore.getState().dialog).toEqual({ kind: 'delete-vm', vmId: vm.id });
    useUiStore.getState().closeDialog();
    dataRows(grid)[0]?.focus();
    await user.keyboard('{Shift>}{F10}{/Shift}');
    expect(useUiStore.getState().contextMenu?.target).toEqual({ kind: 'vm', vmId: vm.id });
  });
});

describe('sorting the Virtual Machines list', () => {
  it('sorts by Name first; a column header sorts by that column, a second click reverses it', async () => {
    const vms = [
      aVm({ id: vmId('b'), name: 'BRAVO', state: 'Running' }),
      aVm({ id: vmId('a'), name: 'ALPHA', state: 'Off' }),
      aVm({ id: vmId('c'), name: 'CHARLIE', state: 'Saved' }),
    ];
    const { grid, user } = await showList(vms);
    const names = () => dataRows(grid).map((row) => row.querySelector('.vm-name')?.textContent);
    const header = (name: string) => within(grid).getByRole('columnheader', { name });
    expect(names()).toEqual(['ALPHA', 'BRAVO', 'CHARLIE']);
    expect(header('Name')).toHaveAttribute('aria-sort', 'ascending');
    await user.click(within(header('Name')).getByRole('button'));
    expect(names()).toEqual(['CHARLIE', 'BRAVO', 'ALPHA']);
    await user.click(within(header('State')).getByRole('button'));
    expect(header('State')).toHaveAttribute('aria-sort', 'ascending');
    expect(header('Name')).toHaveAttribute('aria-sort', 'none');
    expect(names()).toEqual(['ALPHA', 'BRAVO', 'CHARLIE']);
  });
});

describe('the checkpoints of the VM being selected', () => {
  const treePath = (id: string) => `/vms/${id}/checkpoints?deleteOutcomes=false`;
  const emptyTree = { checkpoints: [], now: { parentId: null } };

  it('are asked for as the pointer goes down on its row, before the click selects it', async () => {
    const vms = manyVms(5);
    const { grid, server } = await showList(vms, { [`GET ${treePath('vm-0002')}`]: emptyTree });
    const row = within(grid).getByText('VM 003').closest('tr');
    if (!row) throw new Error('no row');
    fireEvent.pointerDown(row, { button: 0, pointerType: 'mouse' });
    expect(server.requests.map((r) => r.path)).toContain(treePath('vm-0002'));
    expect(useUiStore.getState().selectedVmId).toBeNull();
  });

  it('are asked for as the keyboard selects it, without waiting for the tree to be drawn', async () => {
    const vms = manyVms(5);
    const { grid, server, user } = await showList(vms, {
      [`GET ${treePath('vm-0000')}`]: emptyTree,
      [`GET ${treePath('vm-0001')}`]: emptyTree,
    });
    dataRows(grid)[0]?.focus();
    await user.keyboard('{ArrowDown}');
    expect(useUiStore.getState().selectedVmId).toBe('vm-0001');
    // Only the list is drawn here (no Checkpoints pane): the request went out on the selection.
    expect(server.requests.map((r) => r.path)).toContain(treePath('vm-0001'));
  });
});
