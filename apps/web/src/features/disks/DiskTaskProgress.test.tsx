import { screen } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { Task, TaskId } from '@hvm/engine';
import { applyHostEvent } from '../../api/events';
import { fakeServer, renderWithClient } from '../../test/render';
import { DiskTaskProgress } from './DiskTaskProgress';

const task = (patch: Partial<Task>): Task => ({
  id: 'c0ffee00-0000-0000-0000-000000000001' as TaskId,
  vmId: null,
  disk: 'Disks/data.vhdx',
  name: 'Compacting virtual hard disk',
  status: 'Running',
  percentComplete: 0,
  startedAt: '2024-03-05T14:07:09.000Z',
  finishedAt: null,
  error: null,
  ...patch,
});

describe('DiskTaskProgress', () => {
  it("shows the host task's percentage of the disk being edited, following the server's events", async () => {
    fakeServer({
      'GET /tasks': [
        task({ id: 'other' as TaskId, disk: 'Disks/other.vhdx', percentComplete: 90 }),
        task({ percentComplete: 42 }),
      ],
    });
    const { queryClient } = renderWithClient(
      <DiskTaskProgress path="Disks/data.vhdx" label="Editing the virtual hard disk..." />,
    );
    expect(await screen.findByText('42%')).toBeVisible();
    const bar = screen.getByRole('progressbar', { name: 'Editing the virtual hard disk...' });
    expect(bar).toHaveAttribute('value', '42');
    act(() =>
      applyHostEvent(queryClient, { type: 'task-changed', task: task({ percentComplete: 77 }) }),
    );
    expect(await screen.findByText('77%')).toBeVisible();
    expect(bar).toHaveAttribute('value', '77');
  });

  it('shows a bar without a percentage until the task is known', async () => {
    fakeServer({ 'GET /tasks': [] });
    renderWithClient(<DiskTaskProgress path="Disks/data.vhdx" label="Creating the disk..." />);
    const bar = await screen.findByRole('progressbar', { name: 'Creating the disk...' });
    expect(bar).not.toHaveAttribute('value');
  });
});
