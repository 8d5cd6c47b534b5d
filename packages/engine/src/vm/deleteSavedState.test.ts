import { describe, expect, it } from 'vitest';
import { allowedVmActions, ErrorCode, isEngineError } from '../index.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import { buildVm, createTestHost } from '../testing/index.js';

async function refusal(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (isEngineError(error)) return error.code;
    throw error;
  }
}

describe('Delete Saved State (Remove-VMSavedState)', () => {
  it('turns a Saved VM Off, removes its saved memory and keeps its disks', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Saved' });
    expect(await store.exists(vmSavedStatePath(vm.id))).toBe(true);
    const after = await host.deleteSavedState(vm.id);
    expect(after.state).toBe('Off');
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await store.exists(vmSavedStatePath(vm.id))).toBe(false);
    for (const drive of host.getVm(vm.id).hardDrives)
      expect(await store.exists(drive.path)).toBe(true);
    // The next Start boots from the disk: it no longer resumes saved memory.
    expect((await host.changeVmState(vm.id, 'start')).state).toBe('Running');
  });

  it('records the deletion in the event log', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Saved', name: 'SQL-01' });
    await host.deleteSavedState(vm.id);
    const { entries } = await host.queryEventLog();
    expect(entries[0]).toMatchObject({
      operation: 'Delete Saved State',
      outcome: 'Succeeded',
      message: expect.stringContaining("The saved state of 'SQL-01' was deleted.") as unknown,
    });
  });

  for (const state of ['Off', 'Running', 'Paused'] as const) {
    it(`is refused for a VM that is ${state}, as the menus grey it out`, async () => {
      const { host } = await createTestHost();
      const vm = await buildVm(host, { state });
      expect(allowedVmActions(host.getVm(vm.id)).deleteSavedState).toBe(false);
      expect(await refusal(() => host.deleteSavedState(vm.id))).toBe(ErrorCode.InvalidState);
      expect(host.getVm(vm.id).state).toBe(state);
    });
  }

  it('is offered for a Saved VM', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Saved' });
    expect(allowedVmActions(host.getVm(vm.id)).deleteSavedState).toBe(true);
  });

  it('recovers after a kill between the record and the file: Off, and the stray file goes', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { state: 'Saved' });
    const path = vmSavedStatePath(vm.id);
    const leftover = await test.store.readFile(path);
    await test.host.deleteSavedState(vm.id);
    // As if the process died after writing the Off record, before the .vmrs was removed.
    await test.store.writeFileAtomic(path, leftover);
    const host = await test.restart({ close: false });
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await test.store.exists(path)).toBe(false);
  });
});
