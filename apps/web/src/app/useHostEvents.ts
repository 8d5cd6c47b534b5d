import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { connectHostEvents } from '../api/events';
import { useUiStore } from '../stores/uiStore';

/** Keeps the cache in step with the server (and with other tabs) through its event stream. */
export function useHostEvents(): void {
  const queryClient = useQueryClient();
  const showNotice = useUiStore((s) => s.showNotice);
  useEffect(
    () =>
      connectHostEvents(queryClient, (task) =>
        showNotice(`${task.name} failed: ${task.error?.message ?? 'unknown error'}`),
      ),
    [queryClient, showNotice],
  );
}
