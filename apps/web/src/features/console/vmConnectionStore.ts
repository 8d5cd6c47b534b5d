import { create } from 'zustand';
import type { VmId } from '@hvm/engine';
import { currentHostPath } from '../../api/client';

/**
 * At most this many Virtual Machine Connection windows are open at once: each one polls its
 * guest's console every second, so the number is bounded (one request per window per second).
 */
export const MAX_CONNECTION_WINDOWS = 8;

/**
 * One window: a VM on the server it was opened on (`hostPath`, api/client.ts), as VMConnect
 * connects to one host and one VM. Two servers may hold VMs of the same id (a copied VM).
 */
export interface ConnectionWindow {
  key: string;
  vmId: VmId;
  hostPath: string;
}

export function connectionKey(hostPath: string, vmId: VmId): string {
  return `${hostPath}|${vmId}`;
}

interface VmConnectionState {
  /** The open windows, in the order they were opened (their order in the page and for Tab). */
  open: readonly ConnectionWindow[];
  /** The same windows' keys from back to front: the last one is drawn on top. */
  stacking: readonly string[];
  /**
   * Opens the window of `vmId` on `hostPath` (the selected server by default), or brings it to
   * the front when it is already open. Returns false (and opens nothing) when
   * MAX_CONNECTION_WINDOWS are open already.
   */
  openConnection: (vmId: VmId, hostPath?: string) => boolean;
  closeConnection: (key: string) => void;
  bringToFront: (key: string) => void;
}

export const useVmConnectionStore = create<VmConnectionState>()((set, get) => ({
  open: [],
  stacking: [],
  openConnection: (vmId, hostPath = currentHostPath()) => {
    const key = connectionKey(hostPath, vmId);
    const { open } = get();
    if (open.some((w) => w.key === key)) {
      get().bringToFront(key);
      return true;
    }
    if (open.length >= MAX_CONNECTION_WINDOWS) return false;
    set((s) => ({ open: [...s.open, { key, vmId, hostPath }], stacking: [...s.stacking, key] }));
    return true;
  },
  closeConnection: (key) =>
    set((s) => ({
      open: s.open.filter((w) => w.key !== key),
      stacking: s.stacking.filter((k) => k !== key),
    })),
  bringToFront: (key) =>
    set((s) =>
      s.stacking[s.stacking.length - 1] === key || !s.stacking.includes(key)
        ? s
        : { stacking: [...s.stacking.filter((k) => k !== key), key] },
    ),
}));

/** Closes every window (tests). */
export function resetVmConnectionStore(): void {
  useVmConnectionStore.setState({ open: [], stacking: [] });
}
