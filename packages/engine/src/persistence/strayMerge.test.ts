import {
  createDifferencingDisk,
  createDynamicDisk,
  inspectDisk,
  memoryFileStore,
  mergeDisk,
  type FileStore,
} from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { createTestHost } from '../testing/index.js';

const MiB = 1024 * 1024;
const DIR = 'Virtual Hard Disks';

describe('merges on host load and merge progress', () => {
  it('finishes a merge whose child is gone but whose sidecar was left behind', async () => {
    const inner = memoryFileStore();
    await createDynamicDisk(inner, `${DIR}/s-base.vhdx`, { virtualSize: 8 * MiB, blockSize: MiB });
    await createDifferencingDisk(inner, `${DIR}/s-mid.vhdx`, `${DIR}/s-base.vhdx`);
    await createDifferencingDisk(inner, `${DIR}/s-top.vhdx`, `${DIR}/s-mid.vhdx`);
    // The host stops after the merge unlinked the child, before it removed the sidecar.
    const stopping: FileStore = {
      ...inner,
      unlink: async (path) => {
        if (path.endsWith('.merge.json')) throw new Error('host stopped');
        await inner.unlink(path);
      },
    };
    await expect(
      mergeDisk(stopping, `${DIR}/s-mid.vhdx`, { children: [`${DIR}/s-top.vhdx`] }),
    ).rejects.toThrow('host stopped');
    expect(await inner.exists(`${DIR}/s-mid.vhdx`)).toBe(false);
    expect(await inner.exists(`${DIR}/s-mid.vhdx.merge.json`)).toBe(true);

    await createTestHost({ store: inner });
    expect(await inner.exists(`${DIR}/s-mid.vhdx.merge.json`)).toBe(false);
    const top = await inspectDisk(inner, `${DIR}/s-top.vhdx`);
    expect(top.parentPath).toBe(`${DIR}/s-base.vhdx`);
  });

  it('deletes the child of a complete merge whose deletion had not run when the host stopped', async () => {
    const inner = memoryFileStore();
    await createDynamicDisk(inner, `${DIR}/d-base.vhdx`, { virtualSize: 8 * MiB, blockSize: MiB });
    await createDifferencingDisk(inner, `${DIR}/d-child.avhdx`, `${DIR}/d-base.vhdx`);
    // The merge is complete (its record in its last phase); the host stops before the deletion.
    await mergeDisk(inner, `${DIR}/d-child.avhdx`, { deferChildDeletion: true });
    expect(await inner.exists(`${DIR}/d-child.avhdx`)).toBe(true);

    await createTestHost({ store: inner });
    expect(await inner.exists(`${DIR}/d-child.avhdx`)).toBe(false);
    expect(await inner.exists(`${DIR}/d-child.avhdx.merge.json`)).toBe(false);
    expect((await inspectDisk(inner, `${DIR}/d-base.vhdx`)).parentPath).toBeNull();
  });
});
