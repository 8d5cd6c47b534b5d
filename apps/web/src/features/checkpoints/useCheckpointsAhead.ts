import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import type { VmId } from '@hvm/engine';
import { checkpointsQuery } from '../../api/checkpoints';
import { useUiStore } from '../../stores/uiStore';

/**
 * Starts reading a VM's checkpoint tree as soon as it is known the user is selecting it, not when
 * the Checkpoints pane is next drawn: on every change of the selected VM (click, keyboard, menu;
 * the store tells before React draws anything) and, through the returned function, as the pointer
 * goes down on a row (a click selects on release). A tree read less than the query's stale time
 * ago is not read again; an older one is revalidated by its ETag (api/client.ts).
 */
export function useCheckpointsAhead(): (vmId: VmId) => void {
  const queryClient = useQueryClient();
  const readAhead = useCallback(
    (vmId: VmId) => void queryClient.prefetchQuery(checkpointsQuery(vmId)),
    [queryClient],
  );
  useEffect(
    () =>
      useUiStore.subscribe((state, previous) => {
        const vmId = state.selectedVmId;
        if (vmId !== null && vmId !== previous.selectedVmId) readAhead(vmId);
      }),
    [readAhead],
  );
  return readAhead;
}
