import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { fullPath } from './hostPaths.js';

const DATA = '/srv/hyperv';

describe('full paths on this host (Get-VM Path, ConfigurationLocation, SnapshotFileLocation, Get-VHD)', () => {
  it('a path relative to the data folder is shown under it; the data folder itself as its own path', () => {
    expect(fullPath(DATA, 'Virtual Hard Disks/WEB.vhdx')).toBe(
      `${DATA}/Virtual Hard Disks/WEB.vhdx`,
    );
    expect(fullPath(`${DATA}/`, 'Snapshots')).toBe(`${DATA}/Snapshots`);
    expect(fullPath(DATA, '.')).toBe(DATA);
    expect(fullPath(DATA, '')).toBe(DATA);
    // A host on memory has no folder on this machine: its paths stay as they are.
    expect(fullPath(':memory:', 'Snapshots')).toBe('Snapshots');
  });

  it("the host's views name every folder and disk by its full path, and take those paths back", async () => {
    const { host } = await createTestHost({ dataLocation: DATA });
    const vm = await buildVm(host, { name: 'WEB-01' });
    const detail = host.getVm(vm.id);
    expect(detail.configurationLocation).toBe(`${DATA}/Virtual Machines`);
    expect(detail.snapshotFileLocation.startsWith(DATA)).toBe(true);
    const disk = detail.hardDrives[0]?.path ?? '';
    expect(disk).toBe(`${DATA}/Virtual Hard Disks/WEB-01.vhdx`);
    expect(detail.hardDrives[0]?.chain).toEqual([disk]);
    expect(host.listVms()[0]?.snapshotFileLocation).toBe(detail.snapshotFileLocation);
    expect(host.info()).toMatchObject({
      virtualHardDiskPath: `${DATA}/Virtual Hard Disks`,
      virtualMachinePath: DATA,
    });

    const checkpoint = await host.createCheckpoint(vm.id, { name: 'Before' });
    expect(checkpoint.hardDrives).toEqual([disk]);
    const now = host.getVm(vm.id).hardDrives[0];
    expect(now?.chain).toEqual([now?.path, disk]);
    const inspected = await host.inspectDisk(now?.path ?? '');
    expect(inspected).toMatchObject({ path: now?.path, parentPath: disk });
    expect((await host.listDisks()).map((d) => d.path).sort()).toEqual(
      [disk, now?.path ?? ''].sort(),
    );

    // What a view shows is accepted as input: the Settings dialog sends the location back.
    await host.deleteCheckpoint(vm.id, checkpoint.id);
    await host.whenIdle();
    await host.updateVmSettings(vm.id, { snapshotFileLocation: `${DATA}/Checkpoints` });
    expect(host.getVm(vm.id).snapshotFileLocation).toBe(`${DATA}/Checkpoints`);
  });

  it('every listener is handed the same event, converted once', async () => {
    const { host } = await createTestHost({ dataLocation: DATA });
    const vm = await buildVm(host);
    const first: unknown[] = [];
    const second: unknown[] = [];
    host.subscribe((event) => first.push(event));
    host.subscribe((event) => second.push(event));
    await host.updateVmSettings(vm.id, { notes: 'x' });
    expect(first.length).toBeGreaterThan(0);
    expect(second).toHaveLength(first.length);
    first.forEach((event, i) => expect(second[i]).toBe(event));
  });

  it('events carry the full paths too', async () => {
    const { host } = await createTestHost({ dataLocation: DATA });
    const vm = await buildVm(host);
    const seen: string[] = [];
    host.subscribe((event) => {
      if (event.type === 'vm-changed') seen.push(event.vm.snapshotFileLocation);
    });
    await host.updateVmSettings(vm.id, { notes: 'x' });
    expect(seen.length).toBeGreaterThan(0);
    for (const location of seen) expect(location.startsWith(DATA)).toBe(true);
  });
});
