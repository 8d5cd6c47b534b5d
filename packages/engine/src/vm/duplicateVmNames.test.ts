import { describe, expect, it } from 'vitest';
import { vmConfigPath } from '../persistence/layout.js';
import { buildVm, createTestHost } from '../testing/index.js';

/**
 * Hyper-V identifies a VM by its ID, not its name: several VMs may have the same name, and a name
 * given to a cmdlet acts on every VM of that name (behaviour spec R36, from Microsoft's cmdlet
 * references, where `-Name` is `String[]` and `-Id` a `Guid`).
 */
describe('VMs known by ID: one name, several VMs', () => {
  it('New Virtual Machine accepts a name another VM has; both are listed, each with its own ID, configuration and disk', async () => {
    const { host, store } = await createTestHost();
    const first = await buildVm(host, { name: 'WEB-01' });
    const second = await host.createVm({ name: 'web-01', diskSizeBytes: 64 * 1024 * 1024 });
    expect(second.id).not.toBe(first.id);
    expect(
      host
        .listVms()
        .map((vm) => vm.id)
        .sort(),
    ).toEqual([first.id, second.id].sort());
    expect(
      host
        .findVmsByName('Web-01')
        .map((vm) => vm.id)
        .sort(),
    ).toEqual([first.id, second.id].sort());
    // Files that must be unique are named by the ID (the configuration) or given a free name
    // (the second VM's disk), never shared.
    expect(await store.exists(vmConfigPath(first.id))).toBe(true);
    expect(await store.exists(vmConfigPath(second.id))).toBe(true);
    const firstDisk = host.getVm(first.id).hardDrives[0]?.path;
    const secondDisk = host.getVm(second.id).hardDrives[0]?.path;
    expect(firstDisk).toBeDefined();
    expect(secondDisk).not.toBe(firstDisk);
  });

  it('renaming a VM to the name of another is allowed, and the two stay apart after a restart', async () => {
    const test = await createTestHost();
    const web = await buildVm(test.host, { name: 'WEB-01' });
    const db = await buildVm(test.host, { name: 'DB-01' });
    await test.host.updateVmSettings(db.id, { name: 'WEB-01' });
    expect(test.host.getVm(db.id).name).toBe('WEB-01');
    await test.host.createCheckpoint(db.id, { name: 'on the second' });

    const host = await test.restart();
    expect(host.findVmsByName('WEB-01').map((vm) => vm.id)).toHaveLength(2);
    expect(host.listCheckpoints(db.id).checkpoints.map((c) => c.name)).toEqual(['on the second']);
    expect(host.listCheckpoints(web.id).checkpoints).toEqual([]);
  });

  it('an operation on one of two same-named VMs leaves the other alone', async () => {
    const { host } = await createTestHost();
    const first = await buildVm(host, { name: 'APP' });
    const second = await buildVm(host, { name: 'APP' });
    await host.changeVmState(second.id, 'start');
    await host.deleteVm(first.id);
    await host.whenIdle();
    expect(host.listVms().map((vm) => [vm.id, vm.state])).toEqual([[second.id, 'Running']]);
  });
});
