import {
  OFF_OR_SAVED,
  POWER_ACTION_SOURCE_STATES,
  isTransitional,
  type VmAction,
  type VmState,
} from './vmStates.js';

/**
 * The VM commands of Hyper-V Manager's context menu and Actions pane (behaviour spec §7.1), in
 * their menu order.
 */
export const VM_COMMANDS = [
  'connect',
  'settings',
  'start',
  'turnOff',
  'shutDown',
  'save',
  'pause',
  'resume',
  'reset',
  'deleteSavedState',
  'checkpoint',
  'revert',
  'export',
  'rename',
  'delete',
  'help',
] as const;
export type VmCommandId = (typeof VM_COMMANDS)[number];

/** Which commands are enabled now; a disabled one is greyed out in the menu, as Hyper-V Manager does. */
export type VmActionAvailability = Record<VmCommandId, boolean>;

/** What the rules need to know of a VM. */
export interface VmRuleInput {
  state: VmState;
  /** The checkpoint Now derives from; null when the VM has none to revert to. */
  parentCheckpointId: string | null;
}

/** The menu command of each power action. */
export const POWER_COMMAND_OF: Record<VmAction, VmCommandId> = {
  start: 'start',
  'turn-off': 'turnOff',
  'shut-down': 'shutDown',
  save: 'save',
  pause: 'pause',
  resume: 'resume',
  reset: 'reset',
};

const can = (action: VmAction, state: VmState): boolean =>
  POWER_ACTION_SOURCE_STATES[action].includes(state);

/**
 * Which VM commands Hyper-V Manager enables in the VM's present state: the power actions from the
 * transition table the engine enforces (behaviour spec §8.3); Checkpoint and Revert in a steady
 * state only (§8.3 "Transitional: no"), Revert when Now has a checkpoint to go back to (§4.9 step
 * 5); Delete Saved State for a Saved VM; Export while steady (live while running or paused) and Delete while off or saved (the engine's rules); Settings, Rename, Help and
 * Connect always (Virtual Machine Connection opens in every state: an Off VM's window says it is
 * turned off and offers Start).
 *
 * Hyper-V Manager greys out a command it cannot run and gives no reason beside it, so neither do
 * these rules; the engine's refusal says why when the command is sent anyway.
 */
export function allowedVmActions(vm: VmRuleInput): VmActionAvailability {
  const s = vm.state;
  const steady = !isTransitional(s);
  return {
    connect: true,
    settings: true,
    start: can('start', s),
    turnOff: can('turn-off', s),
    shutDown: can('shut-down', s),
    save: can('save', s),
    pause: can('pause', s),
    resume: can('resume', s),
    reset: can('reset', s),
    // Delete Saved State: for a Saved VM only (behaviour spec §8.3 note, S62; Remove-VMSavedState).
    deleteSavedState: s === 'Saved',
    checkpoint: steady,
    revert: steady && vm.parentCheckpointId !== null,
    // Export: Off or Saved, and live while Running or Paused (behaviour spec §8.3 "yes (live
    // export)"; the engine exports a running VM as a checkpoint froze it).
    export: OFF_OR_SAVED.includes(s) || s === 'Running' || s === 'Paused',
    rename: true,
    delete: OFF_OR_SAVED.includes(s),
    help: true,
  };
}

/** The checkpoint commands of Hyper-V Manager (behaviour spec §7.1), in their menu order. */
export const CHECKPOINT_COMMANDS = [
  'settings',
  'apply',
  'export',
  'rename',
  'delete',
  'deleteSubtree',
  'help',
] as const;
export type CheckpointCommandId = (typeof CHECKPOINT_COMMANDS)[number];
export type CheckpointActionAvailability = Record<CheckpointCommandId, boolean>;

/**
 * Which checkpoint commands are enabled: Apply, Export and the Deletes wait for a steady state
 * (behaviour spec §8.3 "Transitional: no"); Settings (read-only, §4.8), Rename (§8.3 "yes") and
 * Help always. They depend on the VM's state only, so every checkpoint of a VM has the same.
 */
export function allowedCheckpointActions(
  vm: Pick<VmRuleInput, 'state'>,
): CheckpointActionAvailability {
  const steady = !isTransitional(vm.state);
  return {
    settings: true,
    apply: steady,
    export: steady,
    rename: true,
    delete: steady,
    deleteSubtree: steady,
    help: true,
  };
}

/**
 * Whether a checkpoint of this kind can be applied: not a Recovery checkpoint, which belongs to the
 * backup software that made it (behaviour spec §3; the engine refuses it in applyCheckpoint.ts).
 */
export function checkpointKindCanBeApplied(kind: string): boolean {
  return kind !== 'Recovery';
}

/**
 * The commands enabled for one checkpoint: its VM's answer (`allowedCheckpointActions`), narrowed
 * by what the checkpoint's own kind allows.
 */
export function checkpointActionsOf(
  forVm: CheckpointActionAvailability,
  checkpoint: { kind: string },
): CheckpointActionAvailability {
  return checkpointKindCanBeApplied(checkpoint.kind) ? forVm : { ...forVm, apply: false };
}

/** The fields the server adds to every VM body: what the menus enable now. */
export interface VmRules {
  allowedActions: VmActionAvailability;
  allowedCheckpointActions: CheckpointActionAvailability;
}
