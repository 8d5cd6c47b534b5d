import { QueryClientProvider } from '@tanstack/react-query';
import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type * as format from '../../shared/format';
import { formatBytes } from '../../shared/format';
import { useUiStore } from '../../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { CheckpointTree } from './CheckpointTree';

// Every tree item formats its size once per render: counting the calls counts item renders.
vi.mock('../../shared/format', async (importOriginal) => {
  const actual = await importOriginal<typeof format>();
  return { ...actual, formatBytes: vi.fn(actual.formatBytes) };
});

describe('a 50-checkpoint tree stays still', () => {
  it('does not redraw when only live VM figures change, and a selection redraws only what changed', async () => {
    const vm = aVm({ state: 'Running', uptimeMs: 1000 });
    const checkpoints = Array.from({ length: 50 }, (_, i) =>
      aCheckpoint({
        id: checkpointId(`c${i}`),
        name: `Checkpoint ${i}`,
        parentId: i === 0 ? null : checkpointId(`c${i - 1}`),
      }),
    );
    fakeServer({
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree(
        checkpoints,
        checkpointId('c49'),
      ),
    });
    const view = renderWithClient(<CheckpointTree vm={vm} />);
    await screen.findByRole('treeitem', { name: 'Checkpoint 49' });
    expect(screen.getAllByRole('treeitem')).toHaveLength(51);
    const renders = vi.mocked(formatBytes);
    renders.mockClear();

    for (let tick = 1; tick <= 5; tick += 1) {
      view.rerender(
        <QueryClientProvider client={view.queryClient}>
          <CheckpointTree vm={{ ...vm, cpuUsage: tick * 7, uptimeMs: 1000 + tick * 1000 }} />
        </QueryClientProvider>,
      );
    }
    expect(renders).not.toHaveBeenCalled();

    // Selecting the newest checkpoint redraws it (and Now below it), not the 49 above it.
    act(() => useUiStore.getState().selectCheckpoint(checkpointId('c49')));
    expect(renders.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
