import { describe, expect, it } from 'vitest';
import { vhdxDiskLibrary, type DiskLibrary } from '../disk/diskLibrary.js';
import { buildVm, createTestHost } from '../testing/index.js';

/** The real disk library, noting the copy-rate limit each merge is asked to keep. */
function recordingLibrary(limits: (number | undefined)[]): DiskLibrary {
  return {
    ...vhdxDiskLibrary,
    mergeDisk(store, childPath, options) {
      limits.push(options.bytesPerSecond);
      return vhdxDiskLibrary.mergeDisk(store, childPath, options);
    },
  };
}

describe('merge copy rate', () => {
  it("deleting a checkpoint merges its disk at the host's mergeBytesPerSecond", async () => {
    const limits: (number | undefined)[] = [];
    const { host } = await createTestHost({
      disks: recordingLibrary(limits),
      mergeBytesPerSecond: 64 * 1024 * 1024,
    });
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.deleteCheckpoint(vm.id, b.id);
    await host.whenIdle();
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['A']);
    expect(limits.length).toBeGreaterThan(0);
    expect(new Set(limits)).toEqual(new Set([64 * 1024 * 1024]));
  });

  it('merges are unthrottled unless the host sets a rate', async () => {
    const limits: (number | undefined)[] = [];
    const { host } = await createTestHost({ disks: recordingLibrary(limits) });
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.deleteCheckpoint(vm.id, b.id);
    await host.whenIdle();
    expect(limits.length).toBeGreaterThan(0);
    expect(new Set(limits)).toEqual(new Set([0]));
  });
});
