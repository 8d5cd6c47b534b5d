import type { VmState, VmSummary } from '@hvm/engine';

/** The VM commands of the context menu and the Actions pane, with Hyper-V Manager's captions. */
export const VM_COMMAND_CAPTIONS = {
  connect: 'Connect...',
  settings: 'Settings...',
  start: 'Start',
  turnOff: 'Turn Off...',
  shutDown: 'Shut Down...',
  save: 'Save',
  pause: 'Pause',
  resume: 'Resume',
  reset: 'Reset',
  checkpoint: 'Checkpoint',
  revert: 'Revert...',
  export: 'Export...',
  rename: 'Rename...',
  delete: 'Delete...',
  help: 'Help',
} as const;
export type VmCommandId = keyof typeof VM_COMMAND_CAPTIONS;

const STABLE: readonly VmState[] = ['Off', 'Running', 'Saved', 'Paused'];

export function isTransitional(state: VmState): boolean {
  return !STABLE.includes(state);
}

/** Which VM commands are enabled in each state (the behaviour spec's transition table, §8.3). */
export function vmCommandAvailability(vm: VmSummary): Record<VmCommandId, boolean> {
  const s = vm.state;
  const stable = !isTransitional(s);
  return {
    // Virtual Machine Connection opens in every state: an Off VM's window offers Start (issue 16).
    connect: true,
    settings: true,
    start: s === 'Off' || s === 'Saved',
    turnOff: s === 'Running' || s === 'Paused' || s === 'Starting' || s === 'Stopping',
    shutDown: s === 'Running',
    save: s === 'Running' || s === 'Paused',
    pause: s === 'Running',
    resume: s === 'Paused',
    reset: s === 'Running' || s === 'Paused',
    checkpoint: stable,
    revert: stable && vm.parentCheckpointId !== null,
    export: s === 'Off' || s === 'Saved',
    rename: true,
    delete: s === 'Off' || s === 'Saved',
    help: true,
  };
}

export const CHECKPOINT_COMMAND_CAPTIONS = {
  settings: 'Settings...',
  apply: 'Apply...',
  export: 'Export...',
  rename: 'Rename...',
  delete: 'Delete Checkpoint...',
  deleteSubtree: 'Delete Checkpoint Subtree...',
  help: 'Help',
} as const;
export type CheckpointCommandId = keyof typeof CHECKPOINT_COMMAND_CAPTIONS;

export function checkpointCommandAvailability(vm: VmSummary): Record<CheckpointCommandId, boolean> {
  const stable = !isTransitional(vm.state);
  return {
    settings: true,
    apply: stable,
    export: stable,
    rename: true,
    delete: stable,
    deleteSubtree: stable,
    help: true,
  };
}
