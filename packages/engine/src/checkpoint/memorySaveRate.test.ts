import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MIB = 1024 * 1024;

afterEach(() => {
  vi.useRealTimers();
});

describe('memory save rate', () => {
  it("a running VM's memory file is written no faster than the host's memorySaveBytesPerSecond", async () => {
    const { host } = await createTestHost({ memorySaveBytesPerSecond: 8 * MIB });
    const vm = await buildVm(host, { guestImage: 'ubuntu-22.04-postgres', state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard', guestWorkingSetMB: 4 });
    // The wall clock the limit keeps is stepped by hand: no real time is measured.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let done = false;
    const creating = host.createCheckpoint(vm.id, { name: 'with memory' }).then((checkpoint) => {
      done = true;
      return checkpoint;
    });
    // More than 4 MiB at 8 MiB/s is due after half a second, not before.
    await vi.advanceTimersByTimeAsync(400);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(await creating).toMatchObject({ hasSavedState: true, vmState: 'Running' });
    vi.useRealTimers();
    await host.close();
  });

  it('without a rate the memory file is written without waiting on the clock', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { guestImage: 'ubuntu-22.04-postgres', state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard', guestWorkingSetMB: 4 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    // Nothing advances the clock: the checkpoint completes all the same.
    expect(await host.createCheckpoint(vm.id, { name: 'with memory' })).toMatchObject({
      hasSavedState: true,
    });
    vi.useRealTimers();
    await host.close();
  });
});
