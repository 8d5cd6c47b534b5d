import { create } from 'zustand';

/**
 * Whether the server's event stream is connected. While it is lost, what the window shows may be
 * out of date: the frame says so (a banner) and the VM rows stop advancing their figures.
 */
interface HostConnectionState {
  lost: boolean;
  setLost: (lost: boolean) => void;
}

export const useHostConnection = create<HostConnectionState>()((set) => ({
  lost: false,
  setLost: (lost) => set((s) => (s.lost === lost ? s : { lost })),
}));
