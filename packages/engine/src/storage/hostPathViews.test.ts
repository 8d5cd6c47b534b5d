import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { resultWithFullPaths, withFullPaths } from './hostPaths.js';

const DATA = '/srv/hyperv';
const MB = 1024 * 1024;

describe('the most-read views in full paths, mapped field by field', () => {
  it('give what a walk of every field gives: the VM list, a VM, its checkpoints, the host', async () => {
    // A host on memory answers in paths relative to the data folder: the views' input.
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB-01' });
    await host.createVirtualHardDisk({ path: 'Data/data.vhdx', sizeBytes: 16 * MB });
    await host.addHardDiskDrive(vm.id, { path: 'Data/data.vhdx' });
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    await host.connectNetworkAdapter(vm.id, lab.id);
    const first = await host.createCheckpoint(vm.id, { name: 'Before' });
    await host.createCheckpoint(vm.id, { name: 'After' });
    await buildVm(host, { name: 'DB-01' });

    const results: [string, unknown][] = [
      ['listVms', host.listVms()],
      ['findVmsByName', host.findVmsByName('WEB-01')],
      ['getVm', host.getVm(vm.id)],
      ['getVmSummary', host.getVmSummary(vm.id)],
      ['listCheckpoints', host.listCheckpoints(vm.id)],
      ['getCheckpoint', host.getCheckpoint(vm.id, first.id)],
      ['info', host.info()],
    ];
    for (const [name, result] of results) {
      const mapped = resultWithFullPaths(name, result, DATA);
      expect(mapped, name).toEqual(withFullPaths(result, DATA));
      expect(mapped, name).not.toEqual(result);
    }
    // The frozen disks and the drives' chains are among what changed.
    const detail = resultWithFullPaths('getVm', host.getVm(vm.id), DATA) as ReturnType<
      typeof host.getVm
    >;
    for (const drive of detail.hardDrives)
      for (const file of [drive.path, ...drive.chain])
        expect(file.startsWith(`${DATA}/`)).toBe(true);
  });

  it('leave the engine records as they were', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id, { name: 'Before' });
    const tree = host.listCheckpoints(vm.id);
    const copy = structuredClone(tree);
    resultWithFullPaths('listCheckpoints', tree, DATA);
    expect(tree).toEqual(copy);
  });
});
