import { describe, expect, it } from 'vitest';
import {
  allowedCheckpointActions,
  allowedVmActions,
  checkpointActionsOf,
  type VmCommandId,
} from './vmActions.js';
import { VmState } from './vmStates.js';

/**
 * The enabled VM commands per state, as the web app's own tables had them before the server
 * answered them (behaviour spec §8.3), so the menus stay as they were. One change: Turn Off is
 * enabled while Pausing and Resuming, because the engine's state machine accepts it there (it
 * interrupts the transition; §8.3 "Turn Off allowed where Hyper-V allows it").
 */
const enabledIn: Record<VmState, VmCommandId[]> = {
  Off: [
    'connect',
    'settings',
    'start',
    'checkpoint',
    'revert',
    'export',
    'rename',
    'delete',
    'help',
  ],
  Saved: [
    'connect',
    'settings',
    'start',
    'deleteSavedState',
    'checkpoint',
    'revert',
    'export',
    'rename',
    'delete',
    'help',
  ],
  Running: [
    'connect',
    'settings',
    'turnOff',
    'shutDown',
    'save',
    'pause',
    'reset',
    'checkpoint',
    'revert',
    // Live export (behaviour spec §8.3: Export of a Running VM, "yes (live export)").
    'export',
    'rename',
    'help',
  ],
  Paused: [
    'connect',
    'settings',
    'turnOff',
    'save',
    'resume',
    'reset',
    'checkpoint',
    'revert',
    'export',
    'rename',
    'help',
  ],
  Starting: ['connect', 'settings', 'turnOff', 'rename', 'help'],
  Stopping: ['connect', 'settings', 'turnOff', 'rename', 'help'],
  Pausing: ['connect', 'settings', 'turnOff', 'rename', 'help'],
  Resuming: ['connect', 'settings', 'turnOff', 'rename', 'help'],
  Saving: ['connect', 'settings', 'rename', 'help'],
};

const enabled = (availability: Record<string, boolean>): string[] =>
  Object.entries(availability)
    .filter(([, on]) => on)
    .map(([id]) => id);

describe('allowedVmActions', () => {
  for (const state of Object.values(VmState)) {
    it(`enables in ${state} what Hyper-V Manager offers there`, () => {
      expect(enabled(allowedVmActions({ state, parentCheckpointId: 'c1' }))).toEqual(
        enabledIn[state],
      );
    });
  }

  it('greys out Revert when Now has no checkpoint to go back to', () => {
    expect(allowedVmActions({ state: 'Off', parentCheckpointId: null }).revert).toBe(false);
    expect(allowedVmActions({ state: 'Running', parentCheckpointId: null }).revert).toBe(false);
  });
});

describe('allowedCheckpointActions', () => {
  it('offers every checkpoint command in a steady state', () => {
    for (const state of ['Off', 'Running', 'Saved', 'Paused'] as const) {
      expect(Object.values(allowedCheckpointActions({ state })).every(Boolean)).toBe(true);
    }
  });

  it('keeps only Settings, Rename and Help during a transition', () => {
    for (const state of ['Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming'] as const) {
      expect(enabled(allowedCheckpointActions({ state }))).toEqual(['settings', 'rename', 'help']);
    }
  });
});

describe('checkpointActionsOf', () => {
  it("greys out Apply for a Recovery checkpoint and keeps the VM's answer for the others", () => {
    const forVm = allowedCheckpointActions({ state: 'Off' });
    expect(checkpointActionsOf(forVm, { kind: 'Recovery' })).toEqual({ ...forVm, apply: false });
    expect(checkpointActionsOf(forVm, { kind: 'Standard' })).toEqual(forVm);
    expect(checkpointActionsOf(forVm, { kind: 'Production' })).toEqual(forVm);
  });
});
