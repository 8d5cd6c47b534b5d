import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useUiStore } from '../../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId, inState } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { vmsQuery } from '../../api/vms';
import { sessionQuery } from '../signIn/sessionApi';
import { CheckpointTree } from './CheckpointTree';

const vm = aVm();
const root = aCheckpoint({ id: checkpointId('c1'), name: 'Base install' });
const branchA = aCheckpoint({
  id: checkpointId('c2'),
  name: 'Branch A',
  parentId: checkpointId('c1'),
  kind: 'Production',
});
const branchB = aCheckpoint({
  id: checkpointId('c3'),
  name: 'Branch B',
  parentId: checkpointId('c1'),
});

async function showTree(nowParent: string | null, routes: Record<string, unknown> = {}) {
  const server = fakeServer({
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree(
      [root, branchA, branchB],
      nowParent === null ? null : checkpointId(nowParent),
    ),
    'GET /vms': [vm],
    ...routes,
  });
  renderWithClient(<CheckpointTree vm={vm} />);
  const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
  return { tree, server, user: userEvent.setup() };
}

describe('Checkpoints tree', () => {
  it('nests checkpoints by parent and puts Now under the checkpoint the VM derives from', async () => {
    const { tree } = await showTree('c2');
    const branch = within(tree).getByRole('treeitem', { name: 'Branch A' });
    const now = within(tree).getByRole('treeitem', { name: 'Now' });
    expect(branch).toContainElement(now);
    expect(now).toHaveAttribute('aria-level', '3');
    expect(within(tree).getByRole('treeitem', { name: 'Branch B' })).not.toContainElement(now);
    expect(within(tree).getByRole('treeitem', { name: 'Base install' })).toContainElement(branch);
  });

  it('puts Now at the root level when the VM derives from no checkpoint', async () => {
    const { tree } = await showTree(null);
    const now = within(tree).getByRole('treeitem', { name: 'Now' });
    expect(now).toHaveAttribute('aria-level', '1');
    expect(within(tree).getByRole('treeitem', { name: 'Base install' })).not.toContainElement(now);
  });

  it('shows the kind of each checkpoint', async () => {
    const { tree } = await showTree('c2');
    const branch = within(tree).getByRole('treeitem', { name: 'Branch A' });
    expect(within(branch).getAllByTitle(/Production checkpoint/)[0]).toBeInTheDocument();
  });

  it('moves the selection with the arrow keys', async () => {
    const { tree, user } = await showTree('c3');
    await user.click(within(tree).getByRole('treeitem', { name: 'Base install' }));
    await user.keyboard('{ArrowDown}');
    expect(within(tree).getByRole('treeitem', { name: 'Branch A' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(useUiStore.getState().selectedCheckpointId).toBe('c2');
  });
});

describe('Rename in place', () => {
  async function startRename() {
    const shown = await showTree('c2', {
      [`PATCH /vms/${vm.id}/checkpoints/c3`]: ({ body }: { body: { name: string } }) => ({
        body: { ...branchB, name: body.name },
      }),
    });
    useUiStore.getState().startRename(checkpointId('c3'));
    const input = await screen.findByRole('textbox', { name: 'Checkpoint name' });
    return { ...shown, input };
  }

  it('refuses an empty name', async () => {
    const { input, user, server } = await startRename();
    await user.clear(input);
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot be empty');
    expect(server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('refuses a name of 101 characters', async () => {
    const { input, user, server } = await startRename();
    await user.clear(input);
    await user.type(input, 'x'.repeat(101));
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('100 characters');
    expect(server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('Esc cancels without a request', async () => {
    const { input, user, server } = await startRename();
    await user.type(input, ' changed');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Checkpoint name' })).not.toBeInTheDocument();
    expect(server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('Enter commits a name of 100 characters', async () => {
    const { input, user, server } = await startRename();
    const name = 'é'.repeat(100);
    await user.clear(input);
    await user.type(input, name);
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ name }),
    );
    await waitFor(() => expect(useUiStore.getState().renamingCheckpointId).toBeNull());
  });
});

describe('the Delete key', () => {
  const reader = {
    authentication: 'required',
    signedIn: true,
    user: {
      name: 'olivia',
      role: 'reader',
      roleName: 'Reader',
      virtualMachines: [],
      permissions: ['read', 'readHost'],
    },
    csrfToken: 'token',
    computerName: 'HOST',
  };

  async function pressOn(name: string, key: string, shownVm = vm, routes = {}) {
    const server = fakeServer({
      [`GET /vms/${shownVm.id}/checkpoints?deleteOutcomes=false`]: aTree(
        [root, branchA, branchB],
        checkpointId('c2'),
      ),
      'GET /vms': [shownVm],
      ...routes,
    });
    const { queryClient } = renderWithClient(<CheckpointTree vm={shownVm} />);
    const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
    await queryClient.fetchQuery(sessionQuery());
    await queryClient.fetchQuery(vmsQuery());
    const user = userEvent.setup();
    await user.click(within(tree).getByText(name));
    await user.keyboard(key);
    return server;
  }

  it('asks to delete the checkpoint (Shift+Delete: its subtree) when Delete is available', async () => {
    await pressOn('Branch B', '{Delete}');
    expect(useUiStore.getState().dialog).toMatchObject({
      kind: 'delete-checkpoint',
      checkpointId: 'c3',
      subtree: false,
    });
    useUiStore.getState().closeDialog();
    await userEvent.setup().keyboard('{Shift>}{Delete}{/Shift}');
    expect(useUiStore.getState().dialog).toMatchObject({ checkpointId: 'c3', subtree: true });
  });

  it('does nothing while the VM is in a transitional state (Delete Checkpoint is greyed out)', async () => {
    await pressOn('Branch B', '{Delete}', aVm({ state: 'Starting' }));
    expect(useUiStore.getState().dialog).toBeNull();
    await userEvent.setup().keyboard('{Shift>}{Delete}{/Shift}');
    expect(useUiStore.getState().dialog).toBeNull();
  });

  it('reads the VM state now, not the state the tree was first drawn with', async () => {
    await pressOn('Branch B', '{Delete}', vm, { 'GET /vms': [inState(vm, 'Stopping')] });
    expect(useUiStore.getState().dialog).toBeNull();
  });

  it('does nothing for a Reader, whose menu greys out Delete Checkpoint', async () => {
    await pressOn('Branch B', '{Delete}', vm, { 'GET /session': reader });
    expect(useUiStore.getState().dialog).toBeNull();
  });
});
