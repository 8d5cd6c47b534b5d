import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { openDisk, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { VmId } from '../types.js';

/** Merges run on the disk library's mergeDisk, or on a slow copying merge until it exists. */
const disks = vhdxDiskLibrary;
const withMerge = it;
const OFFSET = 3 * 1024 * 1024;

/** What the guest would see at OFFSET on its disk now. */
async function readNow(host: Host, store: FileStore, vmId: VmId): Promise<string> {
  const disk = await openDisk(store, host.getVm(vmId).hardDrives[0]?.path ?? '');
  try {
    const bytes = new Uint8Array(16);
    await disk.read(bytes, OFFSET);
    return new TextDecoder().decode(bytes).replace(/\0+$/, '');
  } finally {
    await disk.close();
  }
}

async function writeNow(host: Host, store: FileStore, vmId: VmId, text: string): Promise<void> {
  const disk = await openDisk(store, host.getVm(vmId).hardDrives[0]?.path ?? '', {
    writable: true,
  });
  try {
    const bytes = new Uint8Array(16);
    bytes.set(new TextEncoder().encode(text));
    await disk.write(bytes, OFFSET);
    await disk.flush();
  } finally {
    await disk.close();
  }
}

describe('what the guest sees on its disk', () => {
  it('apply brings back the disk content of the checkpoint and discards what was written since', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host);
    await writeNow(host, store, vm.id, 'version 1');
    const v1 = await host.createCheckpoint(vm.id, { name: 'v1' });
    await writeNow(host, store, vm.id, 'version 2');
    const v2 = await host.createCheckpoint(vm.id, { name: 'v2' });
    await writeNow(host, store, vm.id, 'version 3');
    await host.applyCheckpoint(vm.id, v1.id);
    expect(await readNow(host, store, vm.id)).toBe('version 1');
    await host.applyCheckpoint(vm.id, v2.id);
    expect(await readNow(host, store, vm.id)).toBe('version 2');
  });

  withMerge('deleting checkpoints merges without changing what Now sees', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host, { state: 'Running' });
    await writeNow(host, store, vm.id, 'version 1');
    const v1 = await host.createCheckpoint(vm.id, { name: 'v1' });
    await writeNow(host, store, vm.id, 'version 2');
    const v2 = await host.createCheckpoint(vm.id, { name: 'v2' });
    await writeNow(host, store, vm.id, 'version 3');
    await host.deleteCheckpoint(vm.id, v2.id);
    await host.whenIdle();
    expect(await readNow(host, store, vm.id)).toBe('version 3');
    await host.applyCheckpoint(vm.id, v1.id);
    expect(await readNow(host, store, vm.id)).toBe('version 1');
    await host.deleteCheckpointSubtree(vm.id, v1.id);
    await host.whenIdle();
    expect(await readNow(host, store, vm.id)).toBe('version 1');
    expect(host.getVm(vm.id).hardDrives[0]?.chain).toHaveLength(1);
  });
});
