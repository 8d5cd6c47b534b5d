import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import { pendingDiskMarkerPath } from './pendingDisks.js';

function snapshotOf(host: Host): unknown {
  return host.listVms().map((vm) => {
    const detail: Partial<ReturnType<Host['getVm']>> = { ...host.getVm(vm.id) };
    delete detail.observedAt;
    delete detail.cpuUsage;
    return { vm: detail, tree: host.listCheckpoints(vm.id) };
  });
}

describe('Persistence (behaviour spec §5) and crash safety', () => {
  it('data survives a host restart', async () => {
    const test = await createTestHost();
    const { host } = test;
    const off = await buildVm(host, { name: 'OFF-VM' });
    const a = await host.createCheckpoint(off.id, { name: 'A' });
    await host.createCheckpoint(off.id, { name: 'B' });
    await host.applyCheckpoint(off.id, a.id);
    await host.createCheckpoint(off.id, { name: 'C' });
    await host.updateVmSettings(off.id, {
      checkpointType: 'Standard',
      integrationServices: { guestServices: true },
    });
    const saved = await buildVm(host, { name: 'SAVED-VM', state: 'Saved' });
    const before = snapshotOf(host);
    const again = await test.restart();
    expect(snapshotOf(again)).toEqual(before);
    expect(again.getVm(saved.id).state).toBe('Saved');
  });

  it('a VM Running when the host closes comes back Saved (Automatic Stop Action: Save) with its uptime', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { state: 'Running' });
    await test.host.updateVmSettings(vm.id, { automaticStartAction: 'Nothing' });
    await test.clock.advance(30_000);
    const again = await test.restart();
    expect(again.getVm(vm.id).state).toBe('Saved');
    await again.changeVmState(vm.id, 'start');
    expect(again.getVm(vm.id).uptimeMs).toBe(30_000);
  });

  it('a VM Running when the host was killed comes back Off', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { state: 'Running' });
    const again = await test.restart({ close: false });
    expect(again.getVm(vm.id)).toMatchObject({ state: 'Off', uptimeMs: 0 });
  });

  it('files an interrupted operation left without committing are removed on load', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'CRASH' });
    await test.host.createCheckpoint(vm.id, { name: 'A' });
    const listing = async (): Promise<string[][]> => [
      (await test.store.list('Virtual Hard Disks')).sort(),
      (await test.store.list('Snapshots')).sort(),
      (await test.store.list('Virtual Machines')).sort(),
    ];
    const before = await listing();
    const orphan = '11111111-2222-4333-8444-555555555555';
    const nowDisk = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const { createDifferencingDisk } = await import('@hvm/vhdx');
    const abandoned = `Virtual Hard Disks/CRASH_${orphan.toUpperCase()}.avhdx`;
    // The host marks a disk it makes before its operation commits (pendingDisks.ts).
    await test.store.writeFileAtomic(pendingDiskMarkerPath(abandoned), new Uint8Array(0));
    await createDifferencingDisk(test.store, abandoned, nowDisk);
    // ... and the configuration of the checkpoint it was making (createCheckpoint marks it too).
    await test.store.writeFileAtomic(
      pendingDiskMarkerPath(`Snapshots/${orphan}.json`),
      new Uint8Array(0),
    );
    await test.store.writeFileAtomic(`Snapshots/${orphan}.json`, new TextEncoder().encode('{}'));
    await test.store.writeFileAtomic(`Virtual Machines/${vm.id}.vmrs.tmp-x`, new Uint8Array(10));
    const again = await test.restart({ close: false });
    expect(await listing()).toEqual(before);
    expect(again.listCheckpoints(vm.id).checkpoints).toHaveLength(1);
  });

  it('an unreadable VM configuration stops the clean-up: no disk is deleted as unreferenced', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'KEEP' });
    await test.host.createCheckpoint(vm.id);
    const disks = (await test.store.list('Virtual Hard Disks')).sort();
    await test.store.writeFileAtomic(
      `Virtual Machines/${vm.id}.json`,
      new TextEncoder().encode('{ broken'),
    );
    const again = await test.restart({ close: false });
    expect(again.listVms()).toEqual([]);
    expect((await test.store.list('Virtual Hard Disks')).sort()).toEqual(disks);
  });

  it('a VM whose creation was interrupted is removed on load', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'HALF' });
    const path = `Virtual Machines/${vm.id}.json`;
    const file = JSON.parse(new TextDecoder().decode(await test.store.readFile(path))) as Record<
      string,
      unknown
    >;
    await test.store.writeFileAtomic(
      path,
      new TextEncoder().encode(JSON.stringify({ ...file, lifecycle: 'provisioning' })),
    );
    const again = await test.restart({ close: false });
    expect(again.listVms()).toEqual([]);
    expect(await test.store.list('Virtual Hard Disks')).toEqual([]);
  });

  it('the Checkpoint File Location can change only while the VM has no checkpoints', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host);
    await host.updateVmSettings(vm.id, { snapshotFileLocation: 'Checkpoints/Lab' });
    const a = await host.createCheckpoint(vm.id);
    expect(await store.exists(`Checkpoints/Lab/${a.id}.json`)).toBe(true);
    await expect(
      host.updateVmSettings(vm.id, { snapshotFileLocation: 'Snapshots' }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(
      host.updateVmSettings(vm.id, { snapshotFileLocation: '../x' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('deleting a VM removes its configuration and checkpoints and keeps its disk (R26); it must be Off or Saved', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.createCheckpoint(vm.id);
    await expect(host.deleteVm(vm.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await host.changeVmState(vm.id, 'turn-off');
    await host.deleteVm(vm.id);
    await host.whenIdle();
    expect(host.listVms()).toEqual([]);
    expect(await store.list('Virtual Hard Disks')).toEqual([`${vm.name}.vhdx`]);
    expect([...(await store.list('Snapshots')), ...(await store.list('Virtual Machines'))]).toEqual(
      [],
    );
  });
});
