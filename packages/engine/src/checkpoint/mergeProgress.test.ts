import { describe, expect, it } from 'vitest';
import { vhdxDiskLibrary, type DiskLibrary } from '../disk/diskLibrary.js';
import { buildVm, createTestHost } from '../testing/index.js';

/** The real disk library, whose merge first reports the given percents (a copier's partial progress). */
function reportingLibrary(percents: readonly number[]): DiskLibrary {
  return {
    ...vhdxDiskLibrary,
    async mergeDisk(store, childPath, options) {
      for (const p of percents) options.onProgress(p);
      await vhdxDiskLibrary.mergeDisk(store, childPath, {
        ...options,
        onProgress: () => undefined,
      });
    },
  };
}

/*
 * Issue 16: the "Merging disks" task's percent is the merge's own (bytes copied of the bytes to
 * copy, @hvm/vhdx mergeDisk), figure for figure, so the Status column ("Merging disks (37%)") and
 * Get-VM's Status move as the data does.
 */
describe('merge progress', () => {
  it('the task shows each percent the merge reports, then Completed 100', async () => {
    const { host } = await createTestHost({
      disks: reportingLibrary([0, 3, 13, 37, 61, 98, 99, 100]),
    });
    const vm = await buildVm(host, { name: 'PROGRESS' });
    await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    const seen: string[] = [];
    const statuses: string[] = [];
    host.subscribe((e) => {
      if (e.type === 'task-changed') seen.push(`${e.task.status} ${e.task.percentComplete}`);
      if (e.type === 'vm-changed' && e.vm.id === vm.id) statuses.push(e.vm.status);
    });
    await host.deleteCheckpoint(vm.id, b.id);
    await host.whenIdle();
    expect([...new Set(seen)]).toEqual([
      'Running 0',
      'Running 3',
      'Running 13',
      'Running 37',
      'Running 61',
      'Running 98',
      'Running 99',
      'Completed 100',
    ]);
    expect(statuses).toContain('Merging disks (37%)');
  });
});
