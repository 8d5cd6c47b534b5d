// Standard checkpoint of a running VM whose guest touched N MiB: how long the guest is held
// still, and the rate at which the memory file is written, against dd writing the same bytes.
import { join } from 'node:path';
import { createHost, nodeFileStore, zeroTiming } from '@hvm/engine';
// The testing entry gives the guest, to observe when it is suspended (not part of the public API).
import { guestOf } from '@hvm/engine/testing';
import type { MemoryFigures } from './types.js';
import { MIB, median, run, timed } from './util.js';

export async function memoryCheckpoint(
  dir: string,
  { runs, workingSetMB }: { runs: number; workingSetMB: number },
): Promise<MemoryFigures> {
  const pauses: number[] = [];
  const totals: number[] = [];
  const dd: number[] = [];
  for (let i = 0; i < runs; i++) {
    const data = join(dir, `mem${i}`);
    const store = nodeFileStore(data);
    const host = await createHost({ store, timing: zeroTiming, dataLocation: data });
    try {
      const vm = await host.createVm({
        name: 'guest',
        memoryStartupMB: workingSetMB * 2,
        guestWorkingSetMB: workingSetMB,
        guestImage: 'ubuntu-22.04-postgres',
        diskSizeBytes: 1024 * MIB,
      });
      await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
      await host.changeVmState(vm.id, 'start');
      const guest = guestOf(host, vm.id);
      let suspendedAt: number | null = null;
      let longest = 0;
      if (guest) {
        const suspend = guest.suspend.bind(guest);
        const unsuspend = guest.unsuspend.bind(guest);
        guest.suspend = () => {
          suspendedAt ??= performance.now();
          suspend();
        };
        guest.unsuspend = () => {
          unsuspend();
          if (suspendedAt !== null) longest = Math.max(longest, performance.now() - suspendedAt);
          suspendedAt = null;
        };
      }
      // Both timed steps start with nothing dirty waiting to be written back.
      run('sync', []);
      const { ms } = await timed(async () => {
        await host.createCheckpoint(vm.id, { name: 'with memory' });
        await host.whenIdle();
      });
      pauses.push(guest ? longest : NaN);
      totals.push(ms);
      await host.changeVmState(vm.id, 'turn-off');
    } finally {
      await host.close();
    }
    run('rm', ['-rf', data]);
    const f = join(dir, `dd${i}.bin`);
    run('sync', []);
    dd.push(
      run('dd', [
        'if=/dev/zero',
        `of=${f}`,
        'bs=1M',
        `count=${workingSetMB}`,
        'conv=fsync',
        'status=none',
      ]).ms,
    );
    run('rm', ['-f', f]);
  }
  const bytes = workingSetMB * MIB;
  const pause = median(pauses);
  const total = median(totals);
  const ddMs = median(dd);
  return {
    workingSetMB,
    pauseMs: pause,
    checkpointMs: total,
    productMiBs: bytes / MIB / (total / 1000),
    ddMiBs: bytes / MIB / (ddMs / 1000),
    ofDd: ddMs / total,
    samples: { pauses, totals, dd },
  };
}
