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

export const useSelectedHost = create<SelectedHostState>()((set) => ({
  hostId: LOCAL_HOST_ID,
  select: (hostId) => {
    setSelectedHostPath(hostId === LOCAL_HOST_ID ? '' : `/hosts/${encodeURIComponent(hostId)}`);
    set({ hostId });
  },
}));
