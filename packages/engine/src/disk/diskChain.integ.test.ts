import { vhdxDiskLibrary } from './diskLibrary.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDisk, nodeFileStore, type FileStore } from '@hvm/vhdx';
import { afterAll, describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import { requireOutsideTools, sevenZipTestVhdx } from '../testing/outsideTools.js';
import type { VmId } from '../types.js';

const disks = vhdxDiskLibrary;
const root = mkdtempSync(join(tmpdir(), 'hvm-engine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The disk files on disk are exactly the chains the tree names, and each file's header agrees. */
async function expectDisksMatchTree(host: Host, store: FileStore, vmId: VmId): Promise<void> {
  const vm = host.getVm(vmId);
  const expected = new Set<string>();
  for (const drive of vm.hardDrives) {
    for (const path of drive.chain) expected.add(path);
    const info = await inspectDisk(store, drive.path);
    expect(info.chain.map((d) => d.path)).toEqual(drive.chain);
  }
  for (const checkpoint of host.listCheckpoints(vmId).checkpoints) {
    for (const frozen of checkpoint.hardDrives) {
      const info = await inspectDisk(store, frozen);
      for (const d of info.chain) expected.add(d.path);
    }
  }
  const onDisk = (await store.list('Virtual Hard Disks')).map(
    (name) => `Virtual Hard Disks/${name}`,
  );
  expect(onDisk.sort()).toEqual([...expected].sort());
  // 7-Zip opens every file (a differencing disk through its parent locator) and reads it all.
  for (const path of onDisk) sevenZipTestVhdx(join(root, path));
}

describe('disk chains on a real folder (nodeFileStore)', () => {
  it('after create, apply and delete the files on disk are exactly the chain the tree says', async (ctx) => {
    requireOutsideTools(ctx, ['7zz']);
    const store = nodeFileStore(root);
    const { host } = await createTestHost({ store, seedDemo: false, disks });
    const vm = await buildVm(host, { name: 'INTEG', diskSizeBytes: 256 * 1024 * 1024 });
    await expectDisksMatchTree(host, store, vm.id);

    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await expectDisksMatchTree(host, store, vm.id);

    await host.applyCheckpoint(vm.id, a.id);
    await expectDisksMatchTree(host, store, vm.id);

    const c = await host.createCheckpoint(vm.id, { name: 'C' });
    await host.deleteCheckpoint(vm.id, b.id);
    await host.whenIdle();
    await expectDisksMatchTree(host, store, vm.id);

    {
      await host.deleteCheckpoint(vm.id, c.id);
      await host.whenIdle();
      await expectDisksMatchTree(host, store, vm.id);
      await host.deleteCheckpointSubtree(vm.id, a.id);
      await host.whenIdle();
      await expectDisksMatchTree(host, store, vm.id);
      expect(host.getVm(vm.id).hardDrives[0]?.chain).toEqual(['Virtual Hard Disks/INTEG.vhdx']);
    }
    await host.close();
  });
});
