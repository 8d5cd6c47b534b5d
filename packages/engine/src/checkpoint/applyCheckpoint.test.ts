import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

describe('Apply and Revert (behaviour spec §1.6, §4.3, §4.4, §4.9)', () => {
  it('apply of a Production checkpoint leaves the VM Off', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint.kind).toBe('Production');
    expect(await host.applyCheckpoint(vm.id, checkpoint.id)).toMatchObject({
      state: 'Off',
      uptimeMs: 0,
      parentCheckpointId: checkpoint.id,
    });
  });

  it('apply of a Standard checkpoint of a running VM leaves it Saved with the uptime of that moment', async () => {
    const { host, clock, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    await clock.advance(42_000);
    const checkpoint = await host.createCheckpoint(vm.id);
    await clock.advance(60_000);
    expect(await host.applyCheckpoint(vm.id, checkpoint.id)).toMatchObject({ state: 'Saved' });
    expect(await store.exists(`Virtual Machines/${vm.id}.vmrs`)).toBe(true);
    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).uptimeMs).toBe(42_000);
  });

  it('apply of a Standard checkpoint of a Saved VM leaves it Saved', async () => {
    const { host, clock } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await clock.advance(7_000);
    await host.changeVmState(vm.id, 'save');
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ vmState: 'Saved', hasSavedState: true });
    await host.changeVmState(vm.id, 'start');
    await host.changeVmState(vm.id, 'turn-off');
    expect(await host.applyCheckpoint(vm.id, checkpoint.id)).toMatchObject({ state: 'Saved' });
    expect((await host.changeVmState(vm.id, 'start')).uptimeMs).toBe(7_000);
  });

  it('apply of a checkpoint taken while Off leaves the VM Off', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    const checkpoint = await host.createCheckpoint(vm.id);
    await host.changeVmState(vm.id, 'start');
    expect(await host.applyCheckpoint(vm.id, checkpoint.id)).toMatchObject({ state: 'Off' });
  });

  it('apply discards Now’s differencing disk and gives Now a new child of the checkpoint’s frozen disk', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { name: 'APPLY' });
    const first = await host.createCheckpoint(vm.id, { name: 'first' });
    const nowDisk = host.getVm(vm.id).hardDrives[0]?.path ?? '';
    await host.applyCheckpoint(vm.id, first.id);
    const drive = host.getVm(vm.id).hardDrives[0];
    expect(await store.exists(nowDisk)).toBe(false);
    expect(drive?.path).not.toBe(nowDisk);
    expect(drive?.chain).toEqual([drive?.path, 'Virtual Hard Disks/APPLY.vhdx']);
    expect((await store.list('Virtual Hard Disks')).sort()).toEqual(
      ['APPLY.vhdx', drive?.path.split('/')[1]].sort(),
    );
  });

  it('apply restores the checkpoint’s memory setting but keeps the VM’s name; later checkpoints stay', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { memoryStartupMB: 512 });
    const first = await host.createCheckpoint(vm.id, { name: 'first' });
    await host.updateVmSettings(vm.id, { memoryStartupMB: 2048, name: 'RENAMED' });
    await host.createCheckpoint(vm.id, { name: 'second' });
    const after = await host.applyCheckpoint(vm.id, first.id);
    expect(after).toMatchObject({
      memoryStartupMB: 512,
      name: 'RENAMED',
      checkpointCount: 2,
      parentCheckpointId: first.id,
    });
    const tree = host.listCheckpoints(vm.id);
    expect(tree.checkpoints.map((c) => c.name)).toEqual(['first', 'second']);
    expect(tree.now.parentId).toBe(first.id);
  });

  it('Take Checkpoint and Apply checkpoints the current state first', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    const first = await host.createCheckpoint(vm.id, { name: 'first' });
    await host.applyCheckpoint(vm.id, first.id, { takeCheckpointFirst: true });
    const tree = host.listCheckpoints(vm.id);
    expect(tree.checkpoints).toHaveLength(2);
    expect(tree.checkpoints[1]).toMatchObject({
      parentId: first.id,
      vmState: 'Running',
      kind: 'Production',
    });
    expect(tree.now.parentId).toBe(first.id);
  });

  it('branches: applying an older checkpoint and checkpointing again makes siblings, oldest first', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    await host.createCheckpoint(vm.id, { name: 'B' });
    await host.applyCheckpoint(vm.id, a.id);
    await host.createCheckpoint(vm.id, { name: 'C' });
    const tree = host.listCheckpoints(vm.id);
    expect(tree.checkpoints.map((c) => [c.name, c.parentId === a.id ? 'A' : c.parentId])).toEqual([
      ['A', null],
      ['B', 'A'],
      ['C', 'A'],
    ]);
  });

  it('the tree lists each checkpoint before its children, and a branch whole before its next sibling', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.applyCheckpoint(vm.id, a.id);
    await host.createCheckpoint(vm.id, { name: 'C' });
    await host.applyCheckpoint(vm.id, b.id);
    await host.createCheckpoint(vm.id, { name: 'D' });
    const names = new Map(host.listCheckpoints(vm.id).checkpoints.map((c) => [c.id, c.name]));
    expect(
      host
        .listCheckpoints(vm.id)
        .checkpoints.map((c) => [c.name, c.parentId === null ? null : names.get(c.parentId)]),
    ).toEqual([
      ['A', null],
      ['B', 'A'],
      ['D', 'B'],
      ['C', 'A'],
    ]);
  });

  it('Revert applies the parent of Now; without a checkpoint it is refused', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await expect(host.revertVm(vm.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    expect(await host.revertVm(vm.id)).toMatchObject({ state: 'Off', parentCheckpointId: a.id });
  });

  it('apply while the VM is Saving is refused with INVALID_STATE', async () => {
    const { host, clock } = await createTestHost({ timing: { save: 500 } });
    const vm = await buildVm(host, { state: 'Running' });
    const a = await host.createCheckpoint(vm.id);
    const saving = host.changeVmState(vm.id, 'save');
    await clock.advance(10);
    await expect(host.applyCheckpoint(vm.id, a.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { actual: 'Saving' },
    });
    await clock.advance(1000);
    expect(await saving).toMatchObject({ state: 'Saved' });
  });
});
