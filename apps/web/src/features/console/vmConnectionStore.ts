import { create } from 'zustand';
import type { VmId } from '@hvm/engine';

/**
 * At most this many Virtual Machine Connection windows are open at once: each one polls its
 * guest's console every second, so the number is bounded (one request per window per second).
 */
export const MAX_CONNECTION_WINDOWS = 8;

interface VmConnectionState {
  /** The open windows, in the order they were opened (their order in the page and for Tab). */
  open: readonly VmId[];
  /** The same windows from back to front: the last one is drawn on top. */
  stacking: readonly VmId[];
  /**
   * Opens the window of `vmId`, or brings it to the front when it is already open. Returns false
   * (and opens nothing) when MAX_CONNECTION_WINDOWS are open already.
   */
  openConnection: (vmId: VmId) => boolean;
  closeConnection: (vmId: VmId) => void;
  bringToFront: (vmId: VmId) => void;
}

export const useVmConnectionStore = create<VmConnectionState>()((set, get) => ({
  open: [],
  stacking: [],
  openConnection: (vmId) => {
    const { open } = get();
    if (open.includes(vmId)) {
      get().bringToFront(vmId);
      return true;
    }
    if (open.length >= MAX_CONNECTION_WINDOWS) return false;
    set((s) => ({ open: [...s.open, vmId], stacking: [...s.stacking, vmId] }));
    return true;
  },
  closeConnection: (vmId) =>
    set((s) => ({
      open: s.open.filter((id) => id !== vmId),
      stacking: s.stacking.filter((id) => id !== vmId),
    })),
  bringToFront: (vmId) =>
    set((s) =>
      s.stacking[s.stacking.length - 1] === vmId || !s.stacking.includes(vmId)
        ? s
        : { stacking: [...s.stacking.filter((id) => id !== vmId), vmId] },
    ),
}));

/** Closes every window (tests). */
export function resetVmConnectionStore(): void {
  useVmConnectionStore.setState({ open: [], stacking: [] });
}
