import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CheckpointBody, CheckpointTreeBody } from '../../api/bodies';
import { DialogHost } from '../../app/DialogHost';
import { useUiStore, type OpenDialog } from '../../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId, checkpointRoutes } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

const vm = aVm({ state: 'Running', parentCheckpointId: checkpointId('c2'), checkpointCount: 3 });
const MB = 1024 * 1024;
// Base (c1, 10 MB) ── Update (c2, 12.5 MB) ── Now
//                 └── Side (c3, 3 MB)
const base = aCheckpoint({ id: checkpointId('c1'), name: 'Base', sizeOnDiskBytes: 10 * MB });
const update = aCheckpoint({
  id: checkpointId('c2'),
  name: 'Update',
  parentId: checkpointId('c1'),
  sizeOnDiskBytes: 12.5 * MB,
});
const side = aCheckpoint({
  id: checkpointId('c3'),
  name: 'Side',
  parentId: checkpointId('c1'),
  sizeOnDiskBytes: 3 * MB,
});
const tree: CheckpointTreeBody = aTree([base, update, side], checkpointId('c2'));

function open(dialog: OpenDialog, routes: Record<string, unknown> = {}) {
  const server = fakeServer({
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: tree,
    ...checkpointRoutes(tree),
    ...routes,
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog(dialog);
  return { server, user: userEvent.setup() };
}

const target = (id: string) => ({ vmId: vm.id, checkpointId: checkpointId(id) });

describe('Apply Checkpoint dialog', () => {
  it('asks before losing the current state and sends takeCheckpointFirst for "Take Checkpoint and Apply"', async () => {
    const { server, user } = open(
      { kind: 'apply-checkpoint', ...target('c1') },
      { [`POST /vms/${vm.id}/checkpoints/c1/actions/apply`]: vm },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Apply Checkpoint' });
    expect(dialog).toHaveTextContent('Your current virtual machine state will be lost.');
    const buttons = within(dialog)
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(buttons).toEqual(['×', 'Take Checkpoint and Apply', 'Apply', 'Cancel']);
    expect(within(dialog).getByRole('button', { name: 'Take Checkpoint and Apply' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Take Checkpoint and Apply' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')).toEqual({
      method: 'POST',
      path: `/vms/${vm.id}/checkpoints/c1/actions/apply`,
      body: { takeCheckpointFirst: true },
    });
  });

  it('Apply sends takeCheckpointFirst false; Cancel sends nothing', async () => {
    const { server, user } = open(
      { kind: 'apply-checkpoint', ...target('c1') },
      { [`POST /vms/${vm.id}/checkpoints/c1/actions/apply`]: vm },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Apply Checkpoint' });
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      takeCheckpointFirst: false,
    });
  });

  it('shows the server error in the dialog and stays open', async () => {
    const { user } = open(
      { kind: 'apply-checkpoint', ...target('c1') },
      {
        [`POST /vms/${vm.id}/checkpoints/c1/actions/apply`]: () => ({
          status: 409,
          body: { error: { code: 'INVALID_STATE', message: 'A merge is in progress.' } },
        }),
      },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Apply Checkpoint' });
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    expect(await within(dialog).findByText(/A merge is in progress\./)).toBeInTheDocument();
    expect(useUiStore.getState().dialog).not.toBeNull();
  });
});

describe('Revert Virtual Machine dialog', () => {
  it('offers Take Checkpoint and Revert, Revert and Cancel, and posts the choice', async () => {
    const { server, user } = open(
      { kind: 'revert', vmId: vm.id },
      { [`POST /vms/${vm.id}/actions/revert`]: vm },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revert Virtual Machine' });
    expect(dialog).toHaveTextContent('revert the virtual machine to its previous checkpoint');
    expect(
      within(dialog).getByRole('button', { name: 'Take Checkpoint and Revert' }),
    ).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Revert' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: `/vms/${vm.id}/actions/revert`,
      body: { takeCheckpointFirst: false },
    });
  });

  it('Cancel closes without a request', async () => {
    const { server, user } = open({ kind: 'revert', vmId: vm.id });
    const dialog = await screen.findByRole('dialog', { name: 'Revert Virtual Machine' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(useUiStore.getState().dialog).toBeNull();
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('Delete Checkpoint dialog', () => {
  it('says the differencing disk of the checkpoint Now derives from is merged into Now', async () => {
    open({ kind: 'delete-checkpoint', ...target('c2'), subtree: false });
    const dialog = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(
      await within(dialog).findByText(
        /The checkpoint's differencing disk \(12\.5 MB\) will be merged into the current state \(Now\)/,
      ),
    ).toBeInTheDocument();
  });

  it('says a leaf checkpoint off the Now branch is removed, freeing its size', async () => {
    open({ kind: 'delete-checkpoint', ...target('c3'), subtree: false });
    const dialog = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(
      await within(dialog).findByText(
        "The checkpoint's differencing disk (3.00 MB) will be removed, freeing 3.00 MB.",
      ),
    ).toBeInTheDocument();
  });

  it('says a checkpoint with two children keeps its disk', async () => {
    open({ kind: 'delete-checkpoint', ...target('c1'), subtree: false });
    const dialog = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(await within(dialog).findByText(/is kept, because its 2 children/)).toBeInTheDocument();
  });

  it("explains the server's answer for the checkpoint, not one worked out in the browser", async () => {
    const route = `GET /vms/${vm.id}/checkpoints/c3`;
    const leaf = checkpointRoutes(tree)[route];
    if (!leaf) throw new Error('the fixture tree has c3');
    const answered: CheckpointBody = {
      ...leaf,
      deleteOutcome: {
        ...leaf.deleteOutcome,
        delete: { ...leaf.deleteOutcome.delete, totalBytes: 1024, bytesFreed: 1024 },
      },
    };
    const { server } = open(
      { kind: 'delete-checkpoint', ...target('c3'), subtree: false },
      { [route]: answered },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(
      await within(dialog).findByText(
        "The checkpoint's differencing disk (1.00 KB) will be removed, freeing 1.00 KB.",
      ),
    ).toBeInTheDocument();
    // The tree is asked for without the outcomes; the dialog asks for its checkpoint's.
    expect(server.requests.map((r) => r.path)).toContain(
      `/vms/${vm.id}/checkpoints?deleteOutcomes=false`,
    );
    expect(server.requests.map((r) => r.path)).toContain(`/vms/${vm.id}/checkpoints/c3`);
  });

  it('Delete Checkpoint Subtree counts the checkpoints, what is merged into Now and what is freed', async () => {
    const { server, user } = open(
      { kind: 'delete-checkpoint', ...target('c1'), subtree: true },
      { [`DELETE /vms/${vm.id}/checkpoints/c1?subtree=true`]: () => ({ status: 204 }) },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(dialog).toHaveTextContent('and all of its child checkpoints?');
    expect(
      await within(dialog).findByText(
        '3 checkpoints will be deleted (25.5 MB). The differencing disks the current state (Now) depends on (22.5 MB) will be merged into Now; the others are removed, freeing 3.00 MB.',
      ),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'DELETE')?.path).toBe(
      `/vms/${vm.id}/checkpoints/c1?subtree=true`,
    );
  });

  it('Delete of one checkpoint sends DELETE without subtree', async () => {
    const { server, user } = open(
      { kind: 'delete-checkpoint', ...target('c3'), subtree: false },
      { [`DELETE /vms/${vm.id}/checkpoints/c3`]: () => ({ status: 204 }) },
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'DELETE')?.path).toBe(
      `/vms/${vm.id}/checkpoints/c3`,
    );
  });
});
