import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { checkpointsQuery } from '../../api/checkpoints';
import type * as format from '../../shared/format';
import { formatDateTime } from '../../shared/format';
import { useUiStore } from '../../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { DetailsPane } from './DetailsPane';

// The pane formats the VM's creation time once per render: counting the calls counts renders.
vi.mock('../../shared/format', async (importOriginal) => {
  const actual = await importOriginal<typeof format>();
  return { ...actual, formatDateTime: vi.fn(actual.formatDateTime) };
});

describe('the Details pane of a selected VM', () => {
  it("is not redrawn when the VM's checkpoint tree arrives, only when a checkpoint is selected", async () => {
    const vm = aVm({ name: 'Web Server' });
    const checkpoints = Array.from({ length: 50 }, (_, i) =>
      aCheckpoint({
        id: checkpointId(`c${i}`),
        name: `Checkpoint ${i}`,
        parentId: i === 0 ? null : checkpointId(`c${i - 1}`),
      }),
    );
    let answerTree: (() => void) | null = null;
    const treeAnswered = new Promise<void>((resolve) => (answerTree = resolve));
    fakeServer({ [`GET /vms/${vm.id}`]: vm, 'GET /guest-images': [] });
    const view = renderWithClient(<DetailsPane vm={vm} />);
    await screen.findByText('Web Server', { selector: '.pane-title bdi' });
    const renders = vi.mocked(formatDateTime);
    await waitFor(() => expect(view.queryClient.isFetching()).toBe(0));
    renders.mockClear();

    // The tree is read (as a click on the VM's row reads it), and arrives.
    act(() => {
      void view.queryClient.prefetchQuery({
        ...checkpointsQuery(vm.id),
        queryFn: async () => {
          await treeAnswered;
          return aTree(checkpoints, checkpointId('c49'));
        },
      });
    });
    act(() => answerTree?.());
    await waitFor(() =>
      expect(view.queryClient.getQueryData(checkpointsQuery(vm.id).queryKey)).toBeDefined(),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(renders).not.toHaveBeenCalled();

    // Selecting a checkpoint shows it.
    act(() => useUiStore.getState().selectCheckpoint(checkpointId('c7')));
    await screen.findByText('Checkpoint 7', { selector: '.pane-title bdi' });
  });
});
