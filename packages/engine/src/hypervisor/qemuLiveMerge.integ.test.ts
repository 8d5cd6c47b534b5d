/**
 * Delete Checkpoint under a running QEMU guest (TCG): the merge runs live while the guest's ledger
 * keeps committing through NBD (behaviour spec §4.6, "Merges run live while the VM runs (since
 * Server 2012)", and §4.9 step 4 for which disk merges into which). Deleting the checkpoint
 * further up merges its disk's child into it and re-points the guest's disk; deleting the
 * checkpoint under Now merges the guest's own disk into its parent and the guest goes on in the
 * parent without noticing. The ledger checker at the next boot finds every committed record, and
 * outside tools accept the disk afterwards.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGuestSerialLine } from '@hvm/guest-image';
import { describe, expect, it } from 'vitest';
import {
  createGuestVm,
  eachTestInItsOwnFolder,
  nextLedgerLine,
  requireQemuGuest,
  type LedgerLine,
} from './qemuTestHost.test-support.js';
import { requireOutsideTools, runTool, sevenZipTestVhdx } from '../testing/outsideTools.js';
import type { VmId } from '../types.js';

const BOOT_MS = 150_000;
const on = eachTestInItsOwnFolder('hvm-qemu-live-merge-');

/** The next ledger figures the VM's guest prints that satisfy `accept`. */
function ledger(
  vmId: VmId,
  accept: (committed: number) => boolean = () => true,
): Promise<LedgerLine> {
  const guest = requireQemuGuest(on.host, vmId);
  return nextLedgerLine(guest.qemu.console, (l) => accept(l.committed), BOOT_MS);
}

/** What the ledger checker said at the guest's boot: the records it found, all whole. */
async function checkedAtBoot(vmId: VmId): Promise<number> {
  const guest = requireQemuGuest(on.host, vmId);
  const line = await guest.qemu.console.waitForLine(/^HVM-LEDGER-CHECK /, BOOT_MS);
  const parsed = parseGuestSerialLine(line);
  expect(parsed).toMatchObject({ kind: 'ledger-check', ok: true });
  return parsed?.kind === 'ledger-check' && parsed.ok ? parsed.committed : -1;
}

describe('Delete Checkpoint under a running QEMU guest', { timeout: 900_000 }, () => {
  it('merges live while the ledger commits through NBD: none lost, the guest goes on in the merged disk, the chain checks clean', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64', 'qemu-img', '7zz', 'vhdiinfo']);
    const test = await on.startHost();
    const host = test.host;
    const vm = await createGuestVm(host, 'Ledger VM');
    const run = async (): Promise<number> => {
      await host.changeVmState(vm.id, 'start');
      const first = await ledger(vm.id);
      return (await ledger(vm.id, (n) => n >= first.committed + 3)).committed;
    };
    // Checkpoints taken while Off, each over data the ledger committed.
    await run();
    await host.changeVmState(vm.id, 'turn-off');
    const further = await host.createCheckpoint(vm.id, { name: 'Further up' });
    await run();
    await host.changeVmState(vm.id, 'turn-off');
    const underNow = await host.createCheckpoint(vm.id, { name: 'Under Now' });
    let committed = await run();

    const { bootId } = await ledger(vm.id);
    for (const checkpoint of [further, underNow]) {
      const { task } = await host.deleteCheckpoint(vm.id, checkpoint.id);
      expect(task).toMatchObject({ name: 'Merging disks' });
      expect(host.getVm(vm.id).status).toMatch(/^Merging disks \(\d+%\)$/);
      await host.whenIdle();
      expect(host.getVm(vm.id)).toMatchObject({ state: 'Running', status: 'Operating normally' });
      // The same boot goes on committing in the merged chain.
      const after = await ledger(vm.id, (n) => n >= committed + 2);
      expect(after.bootId).toBe(bootId);
      committed = after.committed;
    }
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
    const drive = host.getVm(vm.id).hardDrives[0];
    expect(drive?.chain).toEqual([drive?.path]);
    expect(drive?.path).toMatch(/\.vhdx$/);
    // No differencing disk is left anywhere.
    const files = await readdir(on.root, { recursive: true });
    expect(files.filter((f) => f.endsWith('.avhdx'))).toEqual([]);

    // Turned off (in-flight records lost), booted again: every committed record is there.
    await host.changeVmState(vm.id, 'turn-off');
    await host.changeVmState(vm.id, 'start');
    expect(await checkedAtBoot(vm.id)).toBeGreaterThanOrEqual(committed);
    await host.changeVmState(vm.id, 'turn-off');

    const disk = join(on.root, drive?.path ?? '');
    const check = runTool('qemu-img', ['check', '-f', 'vhdx', disk]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    sevenZipTestVhdx(disk);
    const info = runTool('vhdiinfo', [disk]);
    expect(info.status, info.stdout + info.stderr).toBe(0);
  });
});
