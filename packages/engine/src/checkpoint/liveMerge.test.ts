import { describe, expect, it } from 'vitest';
import type { FileStore } from '@hvm/vhdx';
import { vhdxDiskLibrary, type DiskLibrary } from '../disk/diskLibrary.js';
import { GUEST_TICK_MS } from '../guest/guestRuntime.js';
import { buildVm, createTestHost, FakeClock } from '../testing/index.js';

const SQL = 'windows-server-2016-sql';

/**
 * The real disk library, whose merge lets the guest's clock tick while it writes its parent: the
 * first writes the merge makes to `parentPath` each wait for a guest tick first, so the guest
 * works, and writes, in the middle of the copy (no timing: the fake clock moves only here).
 */
function tickingLibrary(
  clock: FakeClock,
  parentPath: string,
  ticks: { during: number },
): DiskLibrary {
  const gated = (store: FileStore): FileStore => ({
    ...store,
    async open(path, mode) {
      const handle = await store.open(path, mode);
      if (path !== parentPath) return handle;
      return {
        ...handle,
        async write(buffer, position) {
          if (ticks.during < 4) {
            ticks.during += 1;
            await clock.advance(GUEST_TICK_MS);
          }
          return handle.write(buffer, position);
        },
      };
    },
  });
  return {
    ...vhdxDiskLibrary,
    mergeDisk: (store, childPath, options) =>
      vhdxDiskLibrary.mergeDisk(gated(store), childPath, options),
  };
}

/*
 * Issue 17, behaviour spec §4.6 ("Merges run live while the VM runs (since Server 2012)") and
 * §8's table "yes (live merge)": deleting the checkpoint under Now merges Now's disk into its
 * parent while the guest keeps running and writing. What it commits during the merge is on the disk
 * afterwards: a Turn Off then a boot recovers every committed transaction from the log.
 */
describe('live merge', () => {
  it('the guest keeps committing while its disk merges, and every commit survives the merge', async () => {
    const clock = new FakeClock();
    const ticks = { during: 0 };
    const test = await createTestHost({
      clock,
      disks: tickingLibrary(clock, 'Virtual Hard Disks/LIVE.vhdx', ticks),
    });
    const { host } = test;
    const vm = await buildVm(host, { name: 'LIVE', guestImage: SQL, state: 'Running' });
    await clock.advance(3 * GUEST_TICK_MS);
    const a = await host.createCheckpoint(vm.id, { name: 'A' });
    await clock.advance(3 * GUEST_TICK_MS);
    const before = host.getGuestConsole(vm.id).committedTransactions;

    const { task } = await host.deleteCheckpoint(vm.id, a.id);
    expect(task).toMatchObject({ name: 'Merging disks' });
    await host.whenIdle();

    expect(ticks.during).toBe(4);
    const after = host.getGuestConsole(vm.id).committedTransactions;
    expect(after).toBeGreaterThan(before);
    expect(host.getVm(vm.id).hardDrives[0]).toMatchObject({
      path: 'Virtual Hard Disks/LIVE.vhdx',
      chain: ['Virtual Hard Disks/LIVE.vhdx'],
    });
    expect(await test.store.list('Virtual Hard Disks')).toEqual(['LIVE.vhdx']);

    await host.changeVmState(vm.id, 'turn-off');
    await host.changeVmState(vm.id, 'start');
    expect(host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'crash-recovery' },
      committedTransactions: after,
    });
  });
});
