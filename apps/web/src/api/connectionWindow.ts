import { queryOptions, type QueryKey } from '@tanstack/react-query';
import type { GuestConsole, HostInfo, VmId } from '@hvm/engine';
import type { VmDetailBody } from './bodies';
import { request } from './client';

/**
 * What a Virtual Machine Connection window reads, from the server it was opened on (`hostPath`,
 * api/client.ts) whichever server the main window has selected since. Their keys end with the
 * server, so selecting another server (which forgets what was read from the previous one) keeps
 * them (`isWindowQuery`), and they begin as the main window's do, so that the changes this page
 * makes to a VM (which invalidate `['vms', ...]`) reach its window at once.
 */
const ON_SERVER = 'connection-window-server';

export function isWindowQuery(key: QueryKey): boolean {
  return key.includes(ON_SERVER);
}

/** Whether `key` is something a window reads of VM `vmId` on the server `hostPath`. */
export function isWindowQueryOf(key: QueryKey, vmId: VmId, hostPath: string): boolean {
  return key[0] === 'vms' && key[1] === vmId && isWindowQuery(key) && key.at(-1) === hostPath;
}

/** The guest console, polled every second while its window is open. */
export const windowGuestConsoleQuery = (hostPath: string, vmId: VmId) =>
  queryOptions({
    queryKey: ['vms', vmId, 'console', ON_SERVER, hostPath] as const,
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
    queryKey: ['vms', vmId, ON_SERVER, hostPath] as const,
    queryFn: ({ signal }) =>
      request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}`, { signal, hostPath }),
    refetchInterval: 1000,
  });

/** The server's own description (its name, in the window's title). */
export const windowHostQuery = (hostPath: string) =>
  queryOptions({
    queryKey: ['host', ON_SERVER, hostPath] as const,
    queryFn: ({ signal }) => request<HostInfo>('/host', { signal, hostPath }),
  });
