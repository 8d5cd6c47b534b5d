/** VM power states, as PowerShell's `VMState` names them (behaviour spec §8.1). */
export const VmState = {
  Off: 'Off',
  Starting: 'Starting',
  Running: 'Running',
  Saving: 'Saving',
  Saved: 'Saved',
  Pausing: 'Pausing',
  Paused: 'Paused',
  Resuming: 'Resuming',
  Stopping: 'Stopping',
} as const;
export type VmState = (typeof VmState)[keyof typeof VmState];

/** The VM actions of Hyper-V Manager's context menu that change the power state. */
export const VmAction = {
  Start: 'start',
  TurnOff: 'turn-off',
  ShutDown: 'shut-down',
  Save: 'save',
  Pause: 'pause',
  Resume: 'resume',
  Reset: 'reset',
} as const;
export type VmAction = (typeof VmAction)[keyof typeof VmAction];

/** The steady states: the ones a VM rests in between two actions. */
export const STEADY_STATES: readonly VmState[] = ['Off', 'Running', 'Saved', 'Paused'];

/** States a VM passes through between two steady states (Off, Running, Saved, Paused). */
export function isTransitional(state: VmState): boolean {
  return !STEADY_STATES.includes(state);
}

/**
 * Where each power action may start: Hyper-V's transition table (behaviour spec §8.3). Turn Off
 * also interrupts a power transition ("Turn Off allowed where Hyper-V allows it"), but not Saving.
 * The engine's state machine enforces this table and the rules below read it.
 */
export const POWER_ACTION_SOURCE_STATES: Record<VmAction, readonly VmState[]> = {
  start: ['Off', 'Saved'],
  'turn-off': ['Running', 'Paused', 'Starting', 'Stopping', 'Pausing', 'Resuming'],
  'shut-down': ['Running'],
  save: ['Running', 'Paused'],
  pause: ['Running'],
  resume: ['Paused'],
  reset: ['Running', 'Paused'],
};

/**
 * The states in which the engine exports or deletes a VM: off or saved. The simulator's own rule
 * ([I] in the behaviour spec: §8.3 lists a live export of a running VM, which it does not offer).
 */
export const OFF_OR_SAVED: readonly VmState[] = ['Off', 'Saved'];
