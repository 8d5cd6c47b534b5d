import { memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

/** A store whose disk is full while `full` is set: writes of the VMs' JSON fail with ENOSPC. */
function fillableStore(): { store: FileStore; full: { on: boolean } } {
  const inner = memoryFileStore();
  const full = { on: false };
  const store: FileStore = {
    ...inner,
    writeFileAtomic: async (path, data) => {
      if (full.on && path.startsWith('Virtual Machines/'))
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      await inner.writeFileAtomic(path, data);
    },
  };
  return { store, full };
}

describe('an operation whose commit fails (full disk)', () => {
  it('Delete Checkpoint fails and the checkpoint stays, in the running host and after a restart', async () => {
    const { store, full } = fillableStore();
    const test = await createTestHost({ store });
    const vm = await buildVm(test.host, { guestImage: null });
    const first = await test.host.createCheckpoint(vm.id, { name: 'first' });
    await test.host.createCheckpoint(vm.id, { name: 'second' });
    const before = test.host.listCheckpoints(vm.id);

    full.on = true;
    await expect(test.host.deleteCheckpoint(vm.id, first.id)).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    full.on = false;

    expect(test.host.listCheckpoints(vm.id)).toEqual(before);
    expect((await test.host.checkHost()).ok).toBe(true);
    const restarted = await test.restart();
    expect(restarted.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual([
      'first',
      'second',
    ]);
    expect((await restarted.checkHost()).ok).toBe(true);
  });

  it('Apply fails and Now keeps its disk and its parent checkpoint', async () => {
    const { store, full } = fillableStore();
    const test = await createTestHost({ store });
    const vm = await buildVm(test.host, { guestImage: null });
    const first = await test.host.createCheckpoint(vm.id, { name: 'first' });
    const second = await test.host.createCheckpoint(vm.id, { name: 'second' });
    const drive = test.host.getVm(vm.id).hardDrives[0]?.path;

    full.on = true;
    await expect(test.host.applyCheckpoint(vm.id, first.id)).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    full.on = false;

    expect(test.host.listCheckpoints(vm.id).now.parentId).toBe(second.id);
    expect(test.host.getVm(vm.id).hardDrives[0]?.path).toBe(drive);
    expect((await test.host.checkHost()).ok).toBe(true);
    await test.host.createCheckpoint(vm.id, { name: 'third' });
    expect((await test.host.checkHost()).ok).toBe(true);
  });
});
