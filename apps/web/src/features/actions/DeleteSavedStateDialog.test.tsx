import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { aTree, aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

async function rightClick(state: 'Saved' | 'Off' | 'Running') {
  const vm = aVm({ name: 'SQL-01', state });
  const server = fakeServer({
    'GET /host': host,
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([], null),
    [`POST /vms/${vm.id}/actions/delete-saved-state`]: aVm({ name: 'SQL-01', state: 'Off' }),
  });
  renderWithClient(<App />);
  const user = userEvent.setup();
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  const row = await within(grid).findByRole('row', { name: /SQL-01/ });
  await user.pointer({ keys: '[MouseRight]', target: row });
  const item = await screen.findByRole('menuitem', { name: 'Delete Saved State...' });
  const deletions = () =>
    server.requests.filter((r) => r.path.endsWith('/actions/delete-saved-state'));
  return { user, item, deletions };
}

describe('Delete Saved State...', () => {
  it('is offered for a Saved VM and asks first; Cancel deletes nothing', async () => {
    const { user, item, deletions } = await rightClick('Saved');
    expect(item).not.toHaveAttribute('aria-disabled', 'true');
    await user.click(item);
    const box = await screen.findByRole('dialog', { name: 'Delete Saved State' });
    expect(box).toHaveTextContent('delete the saved state of');
    expect(box).toHaveTextContent('SQL-01');
    expect(deletions()).toEqual([]);
    await user.click(within(box).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(deletions()).toEqual([]);
  });

  it('deletes the saved state once Delete is pressed', async () => {
    const { user, item, deletions } = await rightClick('Saved');
    await user.click(item);
    const box = await screen.findByRole('dialog', { name: 'Delete Saved State' });
    expect(within(box).getByRole('button', { name: 'Delete' })).toHaveFocus();
    await user.click(within(box).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(deletions()).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  for (const state of ['Off', 'Running'] as const) {
    it(`is greyed out for a VM that is ${state}`, async () => {
      const { item } = await rightClick(state);
      expect(item).toHaveAttribute('aria-disabled', 'true');
    });
  }
});
