import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { isWindowQuery } from '../../api/connectionWindow';
import { hostsKey } from '../../api/hosts';
import { useSelectedHost } from '../../stores/selectedHostStore';
import { useUiStore } from '../../stores/uiStore';
import { sessionKey } from '../signIn/sessionApi';

/**
 * Selects a server in the console tree: what the frame read from the previous one is dropped and
 * read again from the new one (the event stream follows, useHostEvents).
 */
export function useSelectHost(): (hostId: string) => void {
  const queryClient = useQueryClient();
  const select = useSelectedHost((s) => s.select);
  const selectVm = useUiStore((s) => s.selectVm);
  return useCallback(
    (hostId: string) => {
      if (useSelectedHost.getState().hostId === hostId) return;
      select(hostId);
      selectVm(null);
      const kept = new Set([JSON.stringify(sessionKey), JSON.stringify(hostsKey)]);
      // Back to no data (nothing of the previous server shows), and read again if shown. The
      // Virtual Machine Connection windows stay with their own servers (api/connectionWindow.ts).
      void queryClient.resetQueries({
        predicate: (query) =>
          !kept.has(JSON.stringify(query.queryKey)) && !isWindowQuery(query.queryKey),
      });
    },
    [queryClient, select, selectVm],
  );
}
