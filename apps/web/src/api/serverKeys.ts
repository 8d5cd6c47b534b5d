import type { QueryKey } from '@tanstack/react-query';

/**
 * What is read from a server named by its path (`hostPath`, api/client.ts: a Virtual Machine
 * Connection window's own server, whichever one the main window has selected since) is kept under
 * the main window's key followed by this mark and the server. Selecting another server (which
 * forgets what was read from the previous one) keeps these (`isWindowQuery`), and they begin as
 * the main window's do, so that the changes this page makes to a VM (which invalidate
 * `['vms', ...]`) reach its window at once.
 */
const ON_SERVER = 'connection-window-server';

/** `key` on the server `hostPath`; the selected server's own key when `hostPath` is undefined. */
export function keyOnServer<K extends readonly unknown[]>(
  key: K,
  hostPath: string | undefined,
): K | readonly [...K, typeof ON_SERVER, string] {
  return hostPath === undefined ? key : ([...key, ON_SERVER, hostPath] as const);
}

export function isWindowQuery(key: QueryKey): boolean {
  return key.includes(ON_SERVER);
}
