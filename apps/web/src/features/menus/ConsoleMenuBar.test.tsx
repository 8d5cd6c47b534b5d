import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { VmDetail } from '@hvm/engine';
import { App } from '../../app/App';
import { useUiStore } from '../../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { resetViewSettings, VIEW_SETTINGS_STORAGE_KEY } from './viewSettings';

const base = aCheckpoint({ id: checkpointId('c1'), name: 'Base install' });

async function showManager(vm: VmDetail = aVm({ state: 'Off' })) {
  const server = fakeServer({
    'GET /host': host,
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([base], checkpointId('c1')),
    [`POST /vms/${vm.id}/actions/start`]: { ...vm, state: 'Running' },
  });
  const rendered = renderWithClient(<App />);
  const user = userEvent.setup();
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  const row = await within(grid).findByRole('row', { name: new RegExp(vm.name) });
  return { ...rendered, server, user, grid, row, vm };
}

const menuBar = () => screen.getByRole('menubar', { name: 'Menu bar' });
const captions = (menu: HTMLElement) =>
  within(menu)
    .getAllByRole('menuitem')
    .map((item) => item.textContent);

beforeEach(() => {
  localStorage.removeItem(VIEW_SETTINGS_STORAGE_KEY);
  resetViewSettings();
});

describe('The menu bar', () => {
  it('shows File, Action, View and Help as a menubar of menu buttons', async () => {
    await showManager();
    const items = within(menuBar()).getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['File', 'Action', 'View', 'Help']);
    for (const item of items) expect(item).toHaveAttribute('aria-haspopup', 'menu');
  });

  it('Action lists the selected VM commands of its context menu, then Refresh and Help', async () => {
    const { user, row } = await showManager();
    await user.click(row);
    await user.keyboard('{Alt>}a{/Alt}');
    const menu = await screen.findByRole('menu', { name: 'Action' });
    expect(captions(menu)).toEqual([
      'Connect...',
      'Settings...',
      'Start',
      'Turn Off...',
      'Shut Down...',
      'Save',
      'Pause',
      'Resume',
      'Reset',
      'Delete Saved State...',
      'Checkpoint',
      'Revert...',
      'Export...',
      'Rename...',
      'Delete...',
      'Refresh',
      'Help',
    ]);
    expect(within(menu).getByRole('menuitem', { name: 'Connect...' })).toHaveFocus();
    expect(within(menu).getByRole('menuitem', { name: 'Save' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('Esc closes the menu, a second Esc leaves the bar and gives the focus back to the row', async () => {
    const { user, row } = await showManager();
    await user.click(row);
    await user.keyboard('{Alt>}a{/Alt}');
    await screen.findByRole('menu', { name: 'Action' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(within(menuBar()).getByRole('menuitem', { name: 'Action' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(row).toHaveFocus();
  });

  it('F10 reaches File; Right, Down and Enter run Start from the Action menu', async () => {
    const { user, row, server, vm } = await showManager();
    await user.click(row);
    await user.keyboard('{F10}');
    expect(within(menuBar()).getByRole('menuitem', { name: 'File' })).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowDown}');
    const menu = await screen.findByRole('menu', { name: 'Action' });
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Start' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(server.requests).toContainEqual(
        expect.objectContaining({ method: 'POST', path: `/vms/${vm.id}/actions/start` }),
      ),
    );
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(row).toHaveFocus();
  });

  it('Alt pressed alone moves the focus to the menu bar and, pressed again, back', async () => {
    const { user, row } = await showManager();
    await user.click(row);
    await user.keyboard('{Alt}');
    expect(within(menuBar()).getByRole('menuitem', { name: 'File' })).toHaveFocus();
    await user.keyboard('{Alt}');
    expect(row).toHaveFocus();
  });

  it('Left and Right move between open menus; File has nothing that means something here', async () => {
    const { user } = await showManager();
    await user.keyboard('{Alt>}h{/Alt}');
    expect(captions(await screen.findByRole('menu', { name: 'Help' }))).toEqual([
      'Help Topics',
      'About Hyper-V Manager...',
    ]);
    await user.keyboard('{ArrowRight}');
    const file = await screen.findByRole('menu', { name: 'File' });
    expect(captions(file)).toEqual(['(Empty)']);
    expect(within(file).getByRole('menuitem')).toHaveAttribute('aria-disabled', 'true');
    await user.keyboard('{ArrowLeft}');
    expect(await screen.findByRole('menu', { name: 'Help' })).toBeInTheDocument();
  });

  it('Action follows a selected checkpoint with the checkpoint commands', async () => {
    const { user, row } = await showManager();
    await user.click(row);
    const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
    await user.click(await within(tree).findByRole('treeitem', { name: 'Base install' }));
    await user.keyboard('{Alt>}a{/Alt}');
    const menu = await screen.findByRole('menu', { name: 'Action' });
    expect(captions(menu)).toEqual([
      'Settings...',
      'Apply...',
      'Export...',
      'Rename...',
      'Delete Checkpoint...',
      'Delete Checkpoint Subtree...',
      'Refresh',
      'Help',
    ]);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(useUiStore.getState().dialog).toEqual({
      kind: 'apply-checkpoint',
      vmId: aVm().id,
      checkpointId: 'c1',
    });
  });

  it('Action for the host (focus in the console tree) lists the host commands', async () => {
    const { user } = await showManager();
    const hostNode = screen.getByTestId('host-node');
    hostNode.focus();
    await user.keyboard('{Alt>}a{/Alt}');
    const menu = await screen.findByRole('menu', { name: 'Action' });
    expect(captions(menu)).toEqual([
      'Virtual Machine...',
      'Hard Disk...',
      'Import Virtual Machine...',
      'Hyper-V Settings...',
      'Virtual Switch Manager...',
      'Edit Disk...',
      'Inspect Disk...',
      'Check Host...',
      'Event Log...',
      'PowerShell',
      'Remove Server',
      'Refresh',
      'Help',
    ]);
  });

  it('Help > About Hyper-V Manager opens its window; OK closes it', async () => {
    const { user } = await showManager();
    await user.click(within(menuBar()).getByRole('menuitem', { name: 'Help' }));
    await user.click(screen.getByRole('menuitem', { name: 'About Hyper-V Manager...' }));
    const about = await screen.findByRole('dialog', { name: 'About Hyper-V Manager' });
    expect(about).toHaveTextContent('Hyper-V Manager for the web');
    await user.click(within(about).getByRole('button', { name: 'OK' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('a click outside closes an open menu', async () => {
    const { user, grid } = await showManager();
    await user.click(within(menuBar()).getByRole('menuitem', { name: 'View' }));
    expect(screen.getByRole('menu', { name: 'View' })).toBeInTheDocument();
    await user.click(grid);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });
});

describe('View > Add/Remove Columns... and Customize...', () => {
  it('removes the Uptime column, keeps the choice for the next visit, Restore Defaults brings it back', async () => {
    const first = await showManager();
    const { user } = first;
    await user.click(within(menuBar()).getByRole('menuitem', { name: 'View' }));
    await user.click(screen.getByRole('menuitem', { name: 'Add/Remove Columns...' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add/Remove Columns' });
    expect(within(dialog).getByRole('checkbox', { name: 'Name' })).toBeDisabled();
    await user.click(within(dialog).getByRole('checkbox', { name: 'Uptime' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(
      within(first.grid).queryByRole('columnheader', { name: /Uptime/ }),
    ).not.toBeInTheDocument();
    expect(within(first.grid).getByRole('columnheader', { name: /Status/ })).toBeInTheDocument();
    expect(localStorage.getItem(VIEW_SETTINGS_STORAGE_KEY)).toContain('uptime');
    first.unmount();

    const again = await showManager();
    expect(
      within(again.grid).queryByRole('columnheader', { name: /Uptime/ }),
    ).not.toBeInTheDocument();
    await again.user.click(within(menuBar()).getByRole('menuitem', { name: 'View' }));
    await again.user.click(screen.getByRole('menuitem', { name: 'Add/Remove Columns...' }));
    const restore = await screen.findByRole('dialog', { name: 'Add/Remove Columns' });
    await again.user.click(within(restore).getByRole('button', { name: 'Restore Defaults' }));
    await again.user.click(within(restore).getByRole('button', { name: 'OK' }));
    expect(within(again.grid).getByRole('columnheader', { name: /Uptime/ })).toBeInTheDocument();
  });

  it('Cancel changes no column', async () => {
    const { user, grid } = await showManager();
    await user.click(within(menuBar()).getByRole('menuitem', { name: 'View' }));
    await user.click(screen.getByRole('menuitem', { name: 'Add/Remove Columns...' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add/Remove Columns' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'State' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(grid).getByRole('columnheader', { name: /State/ })).toBeInTheDocument();
  });

  it('Customize... hides the console tree and the Actions pane', async () => {
    const { user } = await showManager();
    expect(screen.getByRole('navigation', { name: 'Console tree' })).toBeInTheDocument();
    await user.click(within(menuBar()).getByRole('menuitem', { name: 'View' }));
    await user.click(screen.getByRole('menuitem', { name: 'Customize...' }));
    const dialog = await screen.findByRole('dialog', { name: 'Customize View' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Console tree' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Action pane' }));
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(screen.queryByRole('navigation', { name: 'Console tree' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Actions' })).not.toBeInTheDocument();
  });
});
