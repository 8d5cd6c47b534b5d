import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { connectHostEvents } from '../api/events';

/** Keeps the cache in step with the server (and with other tabs) through its event stream. */
export function useHostEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => connectHostEvents(queryClient), [queryClient]);
}
