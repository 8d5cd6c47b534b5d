/**
 * The captions of the VM and checkpoint commands, in Hyper-V Manager's words and menu order. Which
 * of them are enabled is the server's answer (`allowedActions`, `allowedCheckpointActions` on every
 * VM body, from the engine's rules in @hvm/contracts), not worked out here.
 */
import type { CheckpointCommandId, VmCommandId } from '@hvm/contracts';

export type { CheckpointCommandId, VmCommandId } from '@hvm/contracts';

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
  // Hyper-V Manager's command for a Saved VM (behaviour spec §8.3 note, S62).
  deleteSavedState: 'Delete Saved State...',
  checkpoint: 'Checkpoint',
  revert: 'Revert...',
  export: 'Export...',
  rename: 'Rename...',
  delete: 'Delete...',
  help: 'Help',
} as const satisfies Record<VmCommandId, string>;

export const CHECKPOINT_COMMAND_CAPTIONS = {
  settings: 'Settings...',
  apply: 'Apply...',
  export: 'Export...',
  rename: 'Rename...',
  delete: 'Delete Checkpoint...',
  deleteSubtree: 'Delete Checkpoint Subtree...',
  help: 'Help',
} as const satisfies Record<CheckpointCommandId, string>;
