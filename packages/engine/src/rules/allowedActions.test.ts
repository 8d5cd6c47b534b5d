/**
 * The rules the server sends the web app (allowedVmActions, from @hvm/contracts) against what the
 * engine really does: in every steady state, each command the rules enable succeeds and each one
 * they grey out is refused with InvalidState.
 */
import { describe, expect, it } from 'vitest';
import { POWER_COMMAND_OF } from '@hvm/contracts';
import {
  allowedVmActions,
  ErrorCode,
  isEngineError,
  VmAction,
  type Host,
  type VmId,
} from '../index.js';
import { buildVm, createTestHost } from '../testing/index.js';

type Steady = 'Off' | 'Running' | 'Saved' | 'Paused';
const STEADY: Steady[] = ['Off', 'Running', 'Saved', 'Paused'];

async function outcome(run: () => Promise<unknown>): Promise<'done' | 'refused'> {
  try {
    await run();
    return 'done';
  } catch (error) {
    if (isEngineError(error) && error.code === ErrorCode.InvalidState) return 'refused';
    throw error;
  }
}

async function vmIn(
  host: Host,
  state: Steady,
): Promise<{ id: VmId; allowed: ReturnType<typeof allowedVmActions> }> {
  const vm = await buildVm(host, { state });
  return { id: vm.id, allowed: allowedVmActions(vm) };
}

describe('allowedVmActions agrees with the engine', () => {
  for (const state of STEADY) {
    for (const action of Object.values(VmAction)) {
      it(`${action} in ${state}`, async () => {
        const { host } = await createTestHost();
        const { id, allowed } = await vmIn(host, state);
        const expected = allowed[POWER_COMMAND_OF[action]] ? 'done' : 'refused';
        expect(await outcome(() => host.changeVmState(id, action))).toBe(expected);
      });
    }

    it(`Delete and Checkpoint in ${state}`, async () => {
      const { host } = await createTestHost();
      const { id, allowed } = await vmIn(host, state);
      expect(await outcome(() => host.createCheckpoint(id, {}))).toBe(
        allowed.checkpoint ? 'done' : 'refused',
      );
      expect(await outcome(() => host.deleteVm(id))).toBe(allowed.delete ? 'done' : 'refused');
    });
  }
});
