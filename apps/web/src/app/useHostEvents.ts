import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { connectHostEvents } from '../api/events';
import { useHostConnection } from '../stores/hostConnectionStore';
import { useSelectedHost } from '../stores/selectedHostStore';
import { useUiStore } from '../stores/uiStore';

/**
 * Keeps the cache in step with the server (and with other tabs) through its event stream, and
 * tells the frame when that stream is lost (ConnectionLostBanner) and back (everything is read
 * again then, since events may have been missed).
 */
export function useHostEvents(): void {
  const queryClient = useQueryClient();
  const showNotice = useUiStore((s) => s.showNotice);
  const setLost = useHostConnection((s) => s.setLost);
  // The selected server's stream: a new one when another server is selected.
  const hostId = useSelectedHost((s) => s.hostId);
  useEffect(() => {
    const close = connectHostEvents(
      queryClient,
      (task) => showNotice(`${task.name} failed: ${task.error?.message ?? 'unknown error'}`),
      (connected) => setLost(!connected),
    );
    return () => {
      close();
      setLost(false);
    };
  }, [queryClient, showNotice, setLost, hostId]);
}
