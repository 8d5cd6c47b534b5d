import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { aTree, aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

async function chooseReset() {
  const vm = aVm({ name: 'WEB-UBUNTU-01', state: 'Running', memoryAssignedMB: 2048 });
  const server = fakeServer({
    'GET /host': host,
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([], null),
    [`POST /vms/${vm.id}/actions/reset`]: vm,
  });
  renderWithClient(<App />);
  const user = userEvent.setup();
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  const row = await within(grid).findByRole('row', { name: /WEB-UBUNTU-01/ });
  await user.pointer({ keys: '[MouseRight]', target: row });
  await user.click(await screen.findByRole('menuitem', { name: 'Reset' }));
  const box = await screen.findByRole('dialog', { name: 'Reset Machine' });
  const resets = () => server.requests.filter((r) => r.path.endsWith('/actions/reset'));
  return { user, box, resets };
}

describe('Reset', () => {
  it('asks first; Cancel resets nothing', async () => {
    const { user, box, resets } = await chooseReset();
    expect(box).toHaveTextContent('Do you want to reset');
    expect(box).toHaveTextContent('WEB-UBUNTU-01');
    expect(resets()).toEqual([]);
    await user.click(within(box).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(resets()).toEqual([]);
  });

  it('resets once the Reset button is pressed', async () => {
    const { user, box, resets } = await chooseReset();
    expect(within(box).getByRole('button', { name: 'Reset' })).toHaveFocus();
    await user.click(within(box).getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(resets()).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});
