import { useUiStore } from '../../stores/uiStore';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { VmDetailBody } from '../../api/bodies';
import { aCheckpoint, aTree, aVm, checkpointId, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { App } from '../../app/App';

function enabledItems(menu: HTMLElement): string[] {
  return within(menu)
    .getAllByRole('menuitem')
    .filter((item) => item.getAttribute('aria-disabled') !== 'true')
    .map((item) => item.textContent ?? '');
}

async function rightClickVm(vm: VmDetailBody, routes: Record<string, unknown> = {}) {
  const server = fakeServer({
    'GET /host': host,
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([], null),
    ...routes,
  });
  renderWithClient(<App />);
  const user = userEvent.setup();
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  const row = await within(grid).findByRole('row', { name: new RegExp(vm.name) });
  await user.pointer({ keys: '[MouseRight]', target: row });
  const menu = await screen.findByRole('menu');
  return { menu, user, server, row };
}

describe('VM context menu', () => {
  it('offers Connect and Start but not Turn Off, Save or Pause for a VM that is Off', async () => {
    const { menu } = await rightClickVm(aVm({ state: 'Off' }));
    expect(enabledItems(menu)).toEqual([
      'Connect...',
      'Settings...',
      'Start',
      'Checkpoint',
      'Export...',
      'Rename...',
      'Delete...',
      'Help',
    ]);
  });

  it('offers Turn Off, Shut Down, Save, Pause, Reset and a live Export for a Running VM', async () => {
    const { menu } = await rightClickVm(aVm({ state: 'Running', memoryAssignedMB: 2048 }));
    expect(enabledItems(menu)).toEqual([
      'Connect...',
      'Settings...',
      'Turn Off...',
      'Shut Down...',
      'Save',
      'Pause',
      'Reset',
      'Checkpoint',
      'Export...',
      'Rename...',
      'Help',
    ]);
  });

  it('offers Resume for a Paused VM and Revert when it has a checkpoint', async () => {
    const { menu } = await rightClickVm(
      aVm({ state: 'Paused', parentCheckpointId: checkpointId('c1'), checkpointCount: 1 }),
    );
    expect(enabledItems(menu)).toEqual([
      'Connect...',
      'Settings...',
      'Turn Off...',
      'Save',
      'Resume',
      'Reset',
      'Checkpoint',
      'Revert...',
      'Export...',
      'Rename...',
      'Help',
    ]);
  });

  it('Connect... of a Running VM opens its Virtual Machine Connection window', async () => {
    const { menu, user } = await rightClickVm(aVm({ state: 'Running', memoryAssignedMB: 2048 }));
    await user.click(within(menu).getByRole('menuitem', { name: 'Connect...' }));
    expect(
      await screen.findByRole('dialog', {
        name: 'Web Server on HV-HOST-01 - Virtual Machine Connection',
      }),
    ).toBeInTheDocument();
    expect(useUiStore.getState().dialog).toBeNull();
  });

  it('Esc closes the menu', async () => {
    const { user } = await rightClickVm(aVm());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('Checkpoint posts a checkpoint and the tree shows it without a reload', async () => {
    const vm = aVm();
    const created = aCheckpoint({
      id: checkpointId('new1'),
      name: 'Web Server - (1/1/2026 - 10:00:00 AM)',
    });
    let tree = aTree([], null);
    const { menu, user, server } = await rightClickVm(vm, {
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: () => ({ body: tree }),
      [`POST /vms/${vm.id}/checkpoints`]: () => {
        tree = aTree([created], created.id);
        return { status: 201, body: created };
      },
    });
    await user.click(within(menu).getByRole('menuitem', { name: 'Checkpoint' }));
    const treeEl = await screen.findByRole('tree', { name: 'Checkpoints' });
    expect(await within(treeEl).findByRole('treeitem', { name: created.name })).toBeInTheDocument();
    expect(within(treeEl).getByRole('treeitem', { name: 'Now' })).toBeInTheDocument();
    expect(
      server.requests.some((r) => r.method === 'POST' && r.path === `/vms/${vm.id}/checkpoints`),
    ).toBe(true);
  });

  it('a Production checkpoint brings the "Production checkpoint created" message, which can be silenced', async () => {
    const vm = aVm();
    const created = aCheckpoint({ id: checkpointId('p1'), name: 'P1', kind: 'Production' });
    const { menu, user } = await rightClickVm(vm, {
      [`POST /vms/${vm.id}/checkpoints`]: () => ({ status: 201, body: created }),
    });
    await user.click(within(menu).getByRole('menuitem', { name: 'Checkpoint' }));
    const dialog = await screen.findByRole('dialog', { name: 'Production checkpoint created' });
    await user.click(
      within(dialog).getByRole('checkbox', { name: "Don't show this message again" }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(localStorage.getItem('hvm.hideProductionCheckpointMessage')).toBe('true');
  });

  it('Shift+F10 opens the menu on the focused row', async () => {
    const vm = aVm();
    const { user, row } = await rightClickVm(vm);
    await user.keyboard('{Escape}');
    row.focus();
    await user.keyboard('{Shift>}{F10}{/Shift}');
    expect(await screen.findByRole('menu')).toBeInTheDocument();
  });
});

describe('checkpoint context menu', () => {
  it('greys out Apply for a Recovery checkpoint, which belongs to the backup software', async () => {
    const vm = aVm({ parentCheckpointId: checkpointId('c1'), checkpointCount: 1 });
    const checkpoint = aCheckpoint({
      id: checkpointId('c1'),
      name: 'Backup point',
      kind: 'Recovery',
      snapshotType: 'Recovery',
    });
    fakeServer({
      'GET /host': host,
      'GET /vms': [vm],
      [`GET /vms/${vm.id}`]: vm,
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([checkpoint], checkpoint.id),
    });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    await user.click(await within(grid).findByRole('row', { name: new RegExp(vm.name) }));
    const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
    const item = await within(tree).findByRole('treeitem', { name: 'Backup point' });
    await user.pointer({ keys: '[MouseRight]', target: within(item).getByText('Backup point') });
    const menu = await screen.findByRole('menu', { name: 'Backup point' });
    expect(enabledItems(menu)).not.toContain('Apply...');
    expect(enabledItems(menu)).toContain('Delete Checkpoint...');
  });

  it("lists Hyper-V Manager's checkpoint commands, ending in Help, which opens the help", async () => {
    const vm = aVm({ parentCheckpointId: checkpointId('c1'), checkpointCount: 1 });
    const checkpoint = aCheckpoint({ id: checkpointId('c1'), name: 'Base install' });
    fakeServer({
      'GET /host': host,
      'GET /vms': [vm],
      [`GET /vms/${vm.id}`]: vm,
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([checkpoint], checkpoint.id),
    });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    await user.click(await within(grid).findByRole('row', { name: new RegExp(vm.name) }));
    const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
    const item = await within(tree).findByRole('treeitem', { name: 'Base install' });
    await user.pointer({ keys: '[MouseRight]', target: within(item).getByText('Base install') });
    const menu = await screen.findByRole('menu', { name: 'Base install' });
    expect(enabledItems(menu)).toEqual([
      'Settings...',
      'Apply...',
      'Export...',
      'Rename...',
      'Delete Checkpoint...',
      'Delete Checkpoint Subtree...',
      'Help',
    ]);
    await user.click(within(menu).getByRole('menuitem', { name: 'Help' }));
    expect(await screen.findByRole('dialog', { name: 'Hyper-V Manager Help' })).toBeInTheDocument();
  });

  it("greys out what the server's answer disallows, whatever the state", async () => {
    // The menu shows the server's allowedActions (the engine's rules); it works nothing out itself.
    const off = aVm({ state: 'Off' });
    const { menu } = await rightClickVm({
      ...off,
      allowedActions: { ...off.allowedActions, start: false, delete: false },
    });
    expect(enabledItems(menu)).toEqual([
      'Connect...',
      'Settings...',
      'Checkpoint',
      'Export...',
      'Rename...',
      'Help',
    ]);
  });
});

describe('host context menu', () => {
  it("lists the host's commands as the Action menu and the Actions pane do, then Refresh", async () => {
    fakeServer({ 'GET /host': host, 'GET /vms': [] });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const hostNode = await screen.findByTestId('host-node');
    await user.pointer({ keys: '[MouseRight]', target: hostNode });
    const menu = await screen.findByRole('menu');
    expect(enabledItems(menu)).toEqual([
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
      'Refresh',
    ]);
    await user.click(within(menu).getByRole('menuitem', { name: 'Import Virtual Machine...' }));
    expect(useUiStore.getState().dialog).toEqual({ kind: 'import-vm' });
  });
});
