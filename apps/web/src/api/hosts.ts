import { queryOptions } from '@tanstack/react-query';
import type { ConnectServerBody, HostList, HostProbe, HostSummary } from '@hvm/contracts';
import { request } from './client';

export const hostsKey = ['console-hosts'] as const;

/** The servers of the left pane, with their state (read again every few seconds). */
export const hostsQuery = () =>
  queryOptions({
    queryKey: hostsKey,
    queryFn: ({ signal }) => request<HostList>('/hosts', { signal }),
    refetchInterval: 3_000,
  });

export function probeServer(address: string): Promise<HostProbe> {
  return request<HostProbe>('/hosts/probe', { method: 'POST', body: { address } });
}

export function connectToServer(body: ConnectServerBody): Promise<HostSummary> {
  return request<HostSummary>('/hosts', { method: 'POST', body });
}

export function removeServer(hostId: string): Promise<void> {
  return request<undefined>(`/hosts/${encodeURIComponent(hostId)}`, { method: 'DELETE' });
}
