/**
 * Recovery checkpoints (backup's, behaviour spec §2) of a running QEMU guest (TCG) through the
 * engine's Host API, as backup software takes them: never with memory; application-consistent when
 * the guest agent freezes the file systems (VSS in a Hyper-V guest), else crash-consistent with the
 * reason in the note, as the simulated host's (checkpoint/checkpointKind.ts). The guest runs on
 * through all of it, the backup reads the frozen disk, and ConvertToReferencePoint merges it back
 * under the running guest.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { requireOutsideTools, type OutsideTool } from '../testing/outsideTools.js';
import type { VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';
import {
  createGuestVm,
  eachTestInItsOwnFolder,
  nextLedgerLine,
  requireQemuGuest,
  type LedgerLine,
} from './qemuTestHost.test-support.js';

const BOOT_MS = 150_000;
const TOOLS: OutsideTool[] = ['qemu-system-x86_64', 'qemu-img'];
const on = eachTestInItsOwnFolder('hvm-qemu-recovery-');
const guests = new Set<QemuGuest>();

afterEach(async () => {
  // Before the host's close, which would save them.
  for (const guest of guests) await guest.turnOff().catch(() => undefined);
  guests.clear();
});

function guestOf(vmId: VmId): QemuGuest {
  const guest = requireQemuGuest(on.host, vmId);
  guests.add(guest);
  return guest;
}

/** The next ledger line of the VM's guest with more than `committed` records: its figures. */
function ledgerAfter(vmId: VmId, committed: number): Promise<LedgerLine> {
  return nextLedgerLine(guestOf(vmId).qemu.console, (l) => l.committed > committed, BOOT_MS);
}

async function runningLedgerVm(
  image: 'tiny-linux' | 'tiny-linux-noagent',
): Promise<{ host: Host; vmId: VmId }> {
  const test = await on.startHost();
  const vm = await createGuestVm(test.host, 'Backup VM', image);
  await test.host.changeVmState(vm.id, 'start');
  return { host: test.host, vmId: vm.id };
}

describe('recovery checkpoints of a running QEMU guest', { timeout: 600_000 }, () => {
  it('with the guest agent: application-consistent (file systems frozen), no memory, the guest runs on; the backup reads the frozen disk and converts it to a reference point under the running guest', async (ctx) => {
    requireOutsideTools(ctx, TOOLS);
    const { host, vmId } = await runningLedgerVm('tiny-linux');
    const before = await ledgerAfter(vmId, 1);

    const recovery = await host.createRecoveryCheckpoint(vmId);
    expect(recovery).toMatchObject({
      kind: 'Recovery',
      snapshotType: 'Recovery',
      hasSavedState: false,
      fallbackReason: null,
      note: 'quiesced: the guest agent froze the file systems (guest-fsfreeze-freeze)',
    });
    expect(host.getVm(vmId).state).toBe('Running');
    const after = await ledgerAfter(vmId, before.committed);
    expect(after.bootId).toBe(before.bootId);

    // The backup reads the frozen disk through its chain: the data disk the guest formatted.
    const head = await host.readCheckpointDisk(vmId, recovery.id, 0, 64 * 1024);
    expect(head.length).toBe(64 * 1024);
    expect(head.some((byte) => byte !== 0)).toBe(true);

    const point = await host.convertToReferencePoint(vmId, recovery.id);
    expect(point).toMatchObject({ vmId, checkpointId: recovery.id });
    await host.whenIdle();
    expect(host.listCheckpoints(vmId).checkpoints).toEqual([]);
    expect(host.getVm(vmId).state).toBe('Running');
    expect((await ledgerAfter(vmId, after.committed)).bootId).toBe(before.bootId);

    await host.changeVmState(vmId, 'turn-off');
    expect(await host.checkHost()).toMatchObject({ ok: true, orphanedDisks: [], brokenChains: [] });
  });

  it('without a guest agent: crash-consistent with the reason, never refused; a paused VM gets one too and stays paused', async (ctx) => {
    requireOutsideTools(ctx, TOOLS);
    const { host, vmId } = await runningLedgerVm('tiny-linux-noagent');
    const before = await ledgerAfter(vmId, 0);

    const running = await host.createRecoveryCheckpoint(vmId);
    expect(running).toMatchObject({
      kind: 'Recovery',
      hasSavedState: false,
      note: 'without guest quiescing (crash-consistent): the guest has no integration services installed (no Backup (volume shadow copy) service in the guest)',
    });
    expect(host.getVm(vmId).state).toBe('Running');
    expect((await ledgerAfter(vmId, before.committed)).bootId).toBe(before.bootId);

    await host.changeVmState(vmId, 'pause');
    const paused = await host.createRecoveryCheckpoint(vmId);
    expect(paused).toMatchObject({
      kind: 'Recovery',
      hasSavedState: false,
      note: 'without guest quiescing (crash-consistent): the guest is not running',
    });
    expect(host.getVm(vmId).state).toBe('Paused');
    expect(await guestOf(vmId).qemu.status()).toBe('paused');
    expect(host.listCheckpoints(vmId).checkpoints.map((c) => c.id)).toEqual([
      running.id,
      paused.id,
    ]);
    await host.changeVmState(vmId, 'turn-off');
    expect(await host.checkHost()).toMatchObject({ ok: true, orphanedDisks: [], brokenChains: [] });
  });
});
