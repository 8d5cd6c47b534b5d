/**
 * What the server says a checkpoint delete will do (deleteCheckpointOutcome, from @hvm/contracts)
 * against what the engine does: a merge runs exactly when the outcome says the disk merges, and
 * the checkpoints it names are the ones that go.
 */
import { describe, expect, it } from 'vitest';
import { deleteCheckpointOutcome, type CheckpointId, type Host, type VmId } from '../index.js';
import { buildVm, createTestHost } from '../testing/index.js';

/** c1 ─┬─ c2 ── (c3) and Now under c1 after applying it; c2 is a leaf off the Now branch. */
async function branchedVm(host: Host): Promise<{ id: VmId; c1: CheckpointId; c2: CheckpointId }> {
  const vm = await buildVm(host);
  const c1 = (await host.createCheckpoint(vm.id, { name: 'c1' })).id;
  const c2 = (await host.createCheckpoint(vm.id, { name: 'c2' })).id;
  await host.applyCheckpoint(vm.id, c1);
  return { id: vm.id, c1, c2 };
}

async function expectEngineDoes(host: Host, vmId: VmId, id: CheckpointId, subtree: boolean) {
  const before = host.listCheckpoints(vmId);
  const outcome = deleteCheckpointOutcome(before, id, subtree);
  const { task } = subtree
    ? await host.deleteCheckpointSubtree(vmId, id)
    : await host.deleteCheckpoint(vmId, id);
  const after = host.listCheckpoints(vmId).checkpoints.map((c) => c.id);
  expect(after.filter((c) => outcome?.deletedCheckpointIds.includes(c))).toEqual([]);
  expect(after.length).toBe(
    before.checkpoints.length - (outcome?.deletedCheckpointIds.length ?? 0),
  );
  expect(task !== null).toBe((outcome?.merges.length ?? 0) > 0);
  return outcome;
}

describe('deleteCheckpointOutcome agrees with the engine', () => {
  it('a leaf off the Now branch is removed without a merge', async () => {
    const { host } = await createTestHost();
    const { id, c2 } = await branchedVm(host);
    expect((await expectEngineDoes(host, id, c2, false))?.disk).toBe('removed');
  });

  it('the checkpoint Now derives from merges into Now', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const c1 = (await host.createCheckpoint(vm.id, { name: 'c1' })).id;
    expect((await expectEngineDoes(host, vm.id, c1, false))?.disk).toBe('merged');
  });

  it('a checkpoint with two dependents keeps its disk, without a merge', async () => {
    const { host } = await createTestHost();
    const { id, c1 } = await branchedVm(host);
    expect((await expectEngineDoes(host, id, c1, false))?.disk).toBe('kept');
  });

  it('Delete Subtree over Now merges what Now depends on and removes the rest', async () => {
    const { host } = await createTestHost();
    const { id, c1 } = await branchedVm(host);
    const outcome = await expectEngineDoes(host, id, c1, true);
    expect(outcome?.deletedCheckpointIds.length).toBe(2);
    expect(outcome?.disk).toBe('merged');
  });
});
