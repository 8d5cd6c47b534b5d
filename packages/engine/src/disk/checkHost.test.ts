import { createDifferencingDisk, createDynamicDisk } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import { buildVm, createTestHost } from '../testing/index.js';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('Inspect Disk', () => {
  it("shows a checkpointed VM's differencing disk, its parent chain and who uses each file", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'before update' });
    const now = host.getVm(vm.id).hardDrives[0];
    const inspection = await host.inspectDisk(now?.path ?? '');
    expect(inspection).toMatchObject({
      path: now?.path,
      format: 'VHDX',
      type: 'Differencing',
      virtualSizeBytes: 64 * 1024 * 1024,
      parentPath: `Virtual Hard Disks/${vm.name}.vhdx`,
      usedBy: [{ vmId: vm.id, role: 'Now' }],
    });
    expect(inspection.chain.map((d) => d.path)).toEqual(now?.chain);
    expect(inspection.chain[1]).toMatchObject({
      type: 'Dynamic',
      parentPath: null,
      usedBy: [
        { role: 'Checkpoint', checkpointId: checkpoint.id, checkpointName: 'before update' },
      ],
    });
    expect(inspection.logicalSectorSize).toBe(512);
    expect(inspection.blockSizeBytes).toBeGreaterThan(0);

    const disks = await host.listDisks();
    expect(disks.map((d) => d.path).sort()).toEqual([...(now?.chain ?? [])].sort());
  });

  it('refuses paths outside the data folder, files that are not disks and missing files', async () => {
    const { host } = await createTestHost();
    for (const path of ['/etc/passwd', '../x.vhdx', 'C:\\disk.vhdx']) {
      expect(isEngineError(await errorOf(host.inspectDisk(path)), 'INVALID_ARGUMENT'), path).toBe(
        true,
      );
    }
    expect(
      isEngineError(await errorOf(host.inspectDisk('Virtual Machines/x.json')), 'INVALID_ARGUMENT'),
    ).toBe(true);
    expect(
      isEngineError(await errorOf(host.inspectDisk('Virtual Hard Disks/none.vhdx')), 'NOT_FOUND'),
    ).toBe(true);
  });
});

describe('Check Host', () => {
  it('reports a consistent host as ok', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id);
    await host.createCheckpoint(vm.id);
    const report = await host.checkHost();
    expect(report).toMatchObject({
      ok: true,
      orphanedDisks: [],
      brokenChains: [],
      missingFiles: [],
      skippedVms: [],
    });
  });

  it('reports an orphaned .avhdx, a re-pointed chain and a missing file, and changes nothing', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'one' });
    const base = `Virtual Hard Disks/${vm.name}.vhdx`;
    const now = host.getVm(vm.id).hardDrives[0]?.path ?? '';

    // An orphan: a differencing disk of the base that no checkpoint knows.
    const orphan = `Virtual Hard Disks/${vm.name}_0BADF00D-0000-4000-8000-000000000000.avhdx`;
    await createDifferencingDisk(store, orphan, base);
    // A re-pointed chain: Now's file replaced by a child of another disk.
    const stranger = 'Virtual Hard Disks/stranger.vhdx';
    await createDynamicDisk(store, stranger, { virtualSize: 64 * 1024 * 1024 });
    await store.unlink(now);
    await createDifferencingDisk(store, now, stranger);
    // A missing checkpoint configuration.
    const [node] = host.listCheckpoints(vm.id).checkpoints;
    const config = `Snapshots/${node?.id ?? ''}.json`;
    await store.unlink(config);

    const report = await host.checkHost();
    expect(report.ok).toBe(false);
    expect(report.orphanedDisks).toEqual([
      {
        path: orphan,
        parentPath: base,
        reason: expect.stringContaining('belongs to no checkpoint') as string,
      },
    ]);
    expect(report.brokenChains).toEqual([
      {
        vmId: vm.id,
        vmName: vm.name,
        disk: now,
        expectedParent: base,
        actualParent: stranger,
        error: null,
      },
    ]);
    expect(report.missingFiles).toEqual([
      { vmId: vm.id, vmName: vm.name, path: config, usedBy: "Checkpoint 'one'" },
    ]);
    // Nothing was deleted.
    expect(await store.exists(orphan)).toBe(true);
    expect(await store.exists(stranger)).toBe(true);
  });

  it('reports a chain whose parent was modified after the child was linked', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id);
    const now = host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const base = `Virtual Hard Disks/${vm.name}.vhdx`;
    // The base replaced by a new disk: the child's linkage no longer matches.
    await store.unlink(base);
    await createDynamicDisk(store, base, { virtualSize: 64 * 1024 * 1024 });
    const report = await host.checkHost();
    expect(report.brokenChains).toEqual([
      expect.objectContaining({ disk: now, expectedParent: base, actualParent: null }),
    ]);
    expect(report.brokenChains[0]?.error).toMatch(/linked|modified/i);
  });
});
