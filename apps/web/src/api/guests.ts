import { queryOptions } from '@tanstack/react-query';
import type { GuestConsole, GuestImageInfo, VmId } from '@hvm/engine';
import { request } from './client';

export const guestImagesQuery = () =>
  queryOptions({
    queryKey: ['guest-images'] as const,
    queryFn: ({ signal }) => request<GuestImageInfo[]>('/guest-images', { signal }),
    staleTime: Infinity,
  });

/** The guest console, polled every second while it is shown. */
export const guestConsoleQuery = (vmId: VmId) =>
  queryOptions({
    queryKey: ['vms', vmId, 'console'] as const,
    queryFn: ({ signal }) =>
      request<GuestConsole>(`/vms/${encodeURIComponent(vmId)}/console`, { signal }),
    refetchInterval: 1000,
  });
