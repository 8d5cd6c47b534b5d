import { create } from 'zustand';
import type { Checkpoint, CheckpointId, VmId } from '@hvm/engine';
import { currentHostPath } from '../api/client';

/**
 * The server of a dialog's VM when a Virtual Machine Connection window asked it (`hostPath`,
 * api/client.ts): the window's own, whichever server is selected. Absent: the selected server.
 */
interface OnServer {
  hostPath?: string;
}

/** Which modal dialog is open, with what it acts on. */
export type OpenDialog =
  | ({ kind: 'settings'; vmId: VmId } & OnServer)
  | { kind: 'vm-connection'; vmId: VmId }
  | { kind: 'new-vm' }
  | { kind: 'import-vm' }
  | { kind: 'delete-vm'; vmId: VmId }
  | ({ kind: 'turn-off'; vmId: VmId } & OnServer)
  | ({ kind: 'shut-down'; vmId: VmId } & OnServer)
  | ({ kind: 'reset'; vmId: VmId } & OnServer)
  | ({ kind: 'delete-saved-state'; vmId: VmId } & OnServer)
  | ({ kind: 'revert'; vmId: VmId } & OnServer)
  | { kind: 'apply-checkpoint'; vmId: VmId; checkpointId: CheckpointId }
  | { kind: 'delete-checkpoint'; vmId: VmId; checkpointId: CheckpointId; subtree: boolean }
  | { kind: 'checkpoint-settings'; vmId: VmId; checkpointId: CheckpointId }
  | { kind: 'production-created'; checkpoint: Checkpoint }
  | { kind: 'export'; vmId: VmId; checkpointId: CheckpointId | null }
  | { kind: 'inspect-disk'; path: string | null }
  | { kind: 'edit-disk'; path: string | null }
  | { kind: 'new-disk' }
  | { kind: 'check-host' }
  | { kind: 'event-log' }
  | { kind: 'virtual-switch-manager' }
  | { kind: 'hyperv-settings' }
  | { kind: 'help' }
  | { kind: 'connect-to-server' }
  | { kind: 'error'; title: string; summary: string; message: string };

export type ContextMenuTarget =
  | { kind: 'vm'; vmId: VmId }
  | { kind: 'checkpoint'; vmId: VmId; checkpointId: CheckpointId }
  | { kind: 'host' }
  | { kind: 'manager' };

export interface OpenContextMenu {
  target: ContextMenuTarget;
  x: number;
  y: number;
  /** The element to give focus back to when the menu closes. */
  returnFocus: HTMLElement | null;
}

interface UiState {
  selectedVmId: VmId | null;
  selectedCheckpointId: CheckpointId | null;
  renamingCheckpointId: CheckpointId | null;
  /** The VM whose name is being edited in place in the list. */
  renamingVmId: VmId | null;
  dialog: OpenDialog | null;
  contextMenu: OpenContextMenu | null;
  /** A non-blocking line at the bottom of the window (e.g. why a checkpoint fell back to Standard). */
  notice: string | null;
  /**
   * VMs with a power or checkpoint request of this page still running, by `vmRequestKey`: their
   * commands wait.
   */
  vmsBusy: readonly string[];
  selectVm: (vmId: VmId | null) => void;
  selectCheckpoint: (checkpointId: CheckpointId | null) => void;
  startRename: (checkpointId: CheckpointId) => void;
  endRename: () => void;
  startVmRename: (vmId: VmId) => void;
  endVmRename: () => void;
  openDialog: (dialog: OpenDialog) => void;
  closeDialog: () => void;
  openContextMenu: (menu: OpenContextMenu) => void;
  closeContextMenu: () => void;
  showNotice: (notice: string | null) => void;
}

export const useUiStore = create<UiState>()((set) => ({
  selectedVmId: null,
  selectedCheckpointId: null,
  renamingCheckpointId: null,
  renamingVmId: null,
  dialog: null,
  contextMenu: null,
  notice: null,
  vmsBusy: [],
  selectVm: (vmId) =>
    set((s) =>
      s.selectedVmId === vmId
        ? s
        : {
            selectedVmId: vmId,
            selectedCheckpointId: null,
            renamingCheckpointId: null,
            renamingVmId: null,
          },
    ),
  selectCheckpoint: (checkpointId) => set({ selectedCheckpointId: checkpointId }),
  startRename: (checkpointId) =>
    set({
      renamingCheckpointId: checkpointId,
      selectedCheckpointId: checkpointId,
      contextMenu: null,
    }),
  endRename: () => set({ renamingCheckpointId: null }),
  startVmRename: (vmId) =>
    set((s) => ({
      renamingVmId: vmId,
      selectedVmId: vmId,
      selectedCheckpointId: s.selectedVmId === vmId ? s.selectedCheckpointId : null,
      contextMenu: null,
    })),
  endVmRename: () => set({ renamingVmId: null }),
  openDialog: (dialog) => set({ dialog, contextMenu: null }),
  closeDialog: () => set({ dialog: null }),
  openContextMenu: (contextMenu) => set({ contextMenu }),
  closeContextMenu: () => set({ contextMenu: null }),
  showNotice: (notice) => set({ notice }),
}));

/** Puts the store back to its first state (tests). */
export function resetUiStore(): void {
  useUiStore.setState({
    selectedVmId: null,
    selectedCheckpointId: null,
    renamingCheckpointId: null,
    renamingVmId: null,
    dialog: null,
    contextMenu: null,
    notice: null,
    vmsBusy: [],
  });
}

/**
 * VM `vmId` on server `hostPath` (the selected one when undefined), in `vmsBusy`: two servers may
 * hold VMs of the same id (a copied VM), and a request to one does not hold up the other.
 */
export function vmRequestKey(vmId: VmId, hostPath: string = currentHostPath()): string {
  return `${hostPath}|${vmId}`;
}

/**
 * One operation per click on a VM: runs `work` unless a request this page sent for the VM (on the
 * same server, `vmRequestKey`) is still running (then returns null and sends nothing). The check
 * reads the store directly, so a second click that arrives before React renders again is
 * dropped too.
 */
export function runVmRequest<T>(key: string, work: () => Promise<T>): Promise<T> | null {
  if (useUiStore.getState().vmsBusy.includes(key)) return null;
  useUiStore.setState((s) => ({ vmsBusy: [...s.vmsBusy, key] }));
  const done = () => useUiStore.setState((s) => ({ vmsBusy: s.vmsBusy.filter((k) => k !== key) }));
  const running = work();
  running.then(done, done);
  return running;
}
