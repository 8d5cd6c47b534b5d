import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime } from '../../shared/format';
import { aCheckpoint, aTree, aVm, checkpointId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { CheckpointTree } from './CheckpointTree';

describe("a checkpoint row's tooltip", () => {
  it('tells its kind, size on disk and creation time when the pointer is over the row', async () => {
    const vm = aVm();
    const checkpoint = aCheckpoint({ id: checkpointId('c1'), name: 'Before update' });
    fakeServer({
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([checkpoint], checkpoint.id),
    });
    renderWithClient(<CheckpointTree vm={vm} />);
    const item = await screen.findByRole('treeitem', { name: 'Before update' });
    const row = item.querySelector<HTMLElement>('.tree-row');
    if (row === null) throw new Error('the item has no row');
    await userEvent.setup().hover(row);
    expect(row).toHaveAttribute(
      'title',
      `${checkpoint.kind} checkpoint, ${formatBytes(checkpoint.sizeOnDiskBytes)} on disk, created ${formatDateTime(checkpoint.createdAt)}`,
    );
    const now = screen
      .getByRole('treeitem', { name: 'Now' })
      .querySelector<HTMLElement>('.tree-row');
    if (now === null) throw new Error('Now has no row');
    await userEvent.setup().hover(now);
    expect(now).toHaveAttribute('title', 'The current state of the virtual machine');
  });
});
