import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MIB = 1024 * 1024;

/** A Standard checkpoint of a running guest with a 4 MB working set; its wall time in ms. */
async function timedMemoryCheckpoint(memorySaveBytesPerSecond?: number): Promise<number> {
  const { host } = await createTestHost(
    memorySaveBytesPerSecond === undefined ? {} : { memorySaveBytesPerSecond },
  );
  const vm = await buildVm(host, { guestImage: 'ubuntu-22.04-postgres', state: 'Running' });
  await host.updateVmSettings(vm.id, { checkpointType: 'Standard', guestWorkingSetMB: 4 });
  const started = performance.now();
  const checkpoint = await host.createCheckpoint(vm.id, { name: 'with memory' });
  const elapsed = performance.now() - started;
  expect(checkpoint).toMatchObject({ hasSavedState: true, vmState: 'Running' });
  await host.close();
  return elapsed;
}

describe('memory save rate', () => {
  it("a running VM's memory file is written no faster than the host's memorySaveBytesPerSecond", async () => {
    // More than 4 MiB at 8 MiB/s: at least half a second (a lower bound, whatever the machine).
    expect(await timedMemoryCheckpoint(8 * MIB)).toBeGreaterThanOrEqual(450);
  });
});
