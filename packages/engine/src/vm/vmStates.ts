import type { VmState } from '../types.js';

const TRANSITIONAL: readonly VmState[] = ['Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'];

/** States a VM passes through between two steady states (Off, Running, Saved, Paused). */
export function isTransitional(state: VmState): boolean {
  return TRANSITIONAL.includes(state);
}
