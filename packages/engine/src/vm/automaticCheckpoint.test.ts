import { describe, expect, it } from 'vitest';
import { FakeClock, buildVm, createTestHost } from '../testing/index.js';

describe('automatic checkpoints (behaviour spec §3)', () => {
  it('are off by default', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    expect(host.getVm(vm.id)).toMatchObject({
      automaticCheckpointsEnabled: false,
      checkpointCount: 0,
    });
  });

  it('Start of a VM without checkpoints takes "Automatic Checkpoint - <VM> - (...)"; Turn Off keeps it', async () => {
    const { host } = await createTestHost({
      clock: new FakeClock(new Date(2023, 2, 30, 15, 2, 28)),
    });
    const vm = await buildVm(host, { name: 'WIN10-TEST' });
    await host.updateVmSettings(vm.id, { automaticCheckpointsEnabled: true });
    await host.changeVmState(vm.id, 'start');
    const [auto] = host.listCheckpoints(vm.id).checkpoints;
    expect(auto).toMatchObject({
      name: 'Automatic Checkpoint - WIN10-TEST - (3/30/2023 - 3:02:28 PM)',
      isAutomaticCheckpoint: true,
      vmState: 'Off',
    });
    await host.changeVmState(vm.id, 'turn-off');
    expect(host.getVm(vm.id).checkpointCount).toBe(1);
  });

  it('a clean Shut Down deletes the automatic checkpoint again', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.updateVmSettings(vm.id, { automaticCheckpointsEnabled: true });
    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).checkpointCount).toBe(1);
    await host.changeVmState(vm.id, 'shut-down');
    await host.whenIdle();
    expect(host.getVm(vm.id)).toMatchObject({ state: 'Off', checkpointCount: 0 });
  });

  it('no automatic checkpoint when the VM already has checkpoints', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'mine' });
    await host.updateVmSettings(vm.id, { automaticCheckpointsEnabled: true });
    await host.changeVmState(vm.id, 'start');
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['mine']);
  });
});
