import { queryOptions, type QueryKey } from '@tanstack/react-query';
import type { GuestConsole, HostInfo, VmId } from '@hvm/engine';
import type { VmDetailBody } from './bodies';
import { request } from './client';
import { isWindowQuery, keyOnServer } from './serverKeys';

/**
 * What a Virtual Machine Connection window reads, from the server it was opened on (`hostPath`,
 * api/client.ts) whichever server the main window has selected since: keys made by
 * `keyOnServer` (api/serverKeys.ts), so that selecting another server keeps them.
 */
export { isWindowQuery };

/** Whether `key` is something a window reads of VM `vmId` on the server `hostPath`. */
export function isWindowQueryOf(key: QueryKey, vmId: VmId, hostPath: string): boolean {
  return key[0] === 'vms' && key[1] === vmId && isWindowQuery(key) && key.at(-1) === hostPath;
}

/** The guest console, polled every second while its window is open. */
export const windowGuestConsoleQuery = (hostPath: string, vmId: VmId) =>
  queryOptions({
    queryKey: keyOnServer(['vms', vmId, 'console'] as const, hostPath),
    queryFn: ({ signal }) =>
      request<GuestConsole>(`/vms/${encodeURIComponent(vmId)}/console`, { signal, hostPath }),
    refetchInterval: 1000,
  });

/**
 * The VM itself (its state and what it allows), polled every second as its console is: the
 * window's server need not be the one whose events this page follows.
 */
export const windowVmQuery = (hostPath: string, vmId: VmId) =>
  queryOptions({
    queryKey: keyOnServer(['vms', vmId] as const, hostPath),
    queryFn: ({ signal }) =>
      request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}`, { signal, hostPath }),
    refetchInterval: 1000,
  });

/** The server's own description (its name, in the window's title). */
export const windowHostQuery = (hostPath: string) =>
  queryOptions({
    queryKey: keyOnServer(['host'] as const, hostPath),
    queryFn: ({ signal }) => request<HostInfo>('/host', { signal, hostPath }),
  });
