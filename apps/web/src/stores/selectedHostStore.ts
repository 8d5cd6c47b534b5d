import { create } from 'zustand';
import { LOCAL_HOST_ID } from '@hvm/contracts';
import { setSelectedHostPath } from '../api/client';

/**
 * The server selected in the console tree: the VM list, Actions, menus, Check Host, the event log
 * and PowerShell act on it.
 */
interface SelectedHostState {
  hostId: string;
  select: (hostId: string) => void;
}

/** The path prefix of a server's API requests: '' for the loaded server (api/client.ts). */
export function hostPathOf(hostId: string): string {
  return hostId === LOCAL_HOST_ID ? '' : `/hosts/${encodeURIComponent(hostId)}`;
}

export const useSelectedHost = create<SelectedHostState>()((set) => ({
  hostId: LOCAL_HOST_ID,
  select: (hostId) => {
    setSelectedHostPath(hostPathOf(hostId));
    set({ hostId });
  },
}));
