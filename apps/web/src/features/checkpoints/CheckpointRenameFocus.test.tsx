import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useUiStore } from '../../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { CheckpointTree } from './CheckpointTree';

const vm = aVm();
const root = aCheckpoint({ id: checkpointId('c1'), name: 'Base install' });
const child = aCheckpoint({
  id: checkpointId('c2'),
  name: 'Patched',
  parentId: checkpointId('c1'),
});

async function renameWithF2() {
  const server = fakeServer({
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree(
      [root, child],
      checkpointId('c2'),
    ),
    'GET /vms': [vm],
    [`PATCH /vms/${vm.id}/checkpoints/c2`]: ({ body }: { body: { name: string } }) => ({
      body: { ...child, name: body.name },
    }),
  });
  renderWithClient(
    <>
      <CheckpointTree vm={vm} />
      <button type="button">Elsewhere</button>
    </>,
  );
  const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
  const user = userEvent.setup();
  await user.click(within(tree).getByText('Patched'));
  await user.keyboard('{F2}');
  const input = await screen.findByRole('textbox', { name: 'Checkpoint name' });
  expect(input).toHaveFocus();
  const item = within(tree).getByRole('treeitem', { name: 'Patched' });
  return { server, tree, user, input, item };
}

describe('after a rename in the Checkpoints tree', () => {
  it('Esc gives the focus back to the tree item, where the arrows go on working', async () => {
    const { user, item, tree } = await renameWithF2();
    await user.keyboard('{Escape}');
    expect(item).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(within(tree).getByRole('treeitem', { name: 'Base install' })).toHaveFocus();
  });

  it('Enter commits and gives the focus back to the tree item; F2 renames again', async () => {
    const { user, input, item, server } = await renameWithF2();
    await user.clear(input);
    await user.type(input, 'Patched twice{Enter}');
    await waitFor(() => expect(useUiStore.getState().renamingCheckpointId).toBeNull());
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      name: 'Patched twice',
    });
    expect(item).toHaveFocus();
    await user.keyboard('{F2}');
    expect(await screen.findByRole('textbox', { name: 'Checkpoint name' })).toHaveFocus();
  });

  it('a click elsewhere commits the new name, as a Windows label edit, and leaves the focus there', async () => {
    const { user, input, server } = await renameWithF2();
    await user.clear(input);
    await user.type(input, 'Clicked away');
    const elsewhere = screen.getByRole('button', { name: 'Elsewhere' });
    await user.click(elsewhere);
    await waitFor(() => expect(useUiStore.getState().renamingCheckpointId).toBeNull());
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      name: 'Clicked away',
    });
    expect(elsewhere).toHaveFocus();
  });

  it('a click elsewhere with an empty name keeps the box open with the reason', async () => {
    const { user, input, server } = await renameWithF2();
    await user.clear(input);
    await user.click(screen.getByRole('button', { name: 'Elsewhere' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot be empty');
    expect(screen.getByRole('textbox', { name: 'Checkpoint name' })).toBeInTheDocument();
    expect(server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });
});
