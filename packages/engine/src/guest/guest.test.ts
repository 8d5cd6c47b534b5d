import { openDisk } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { CheckpointId, VmId } from '../types.js';
import { checkGuestDisk, inspectGuestDisk } from './checker.js';
import { BOOT_OFFSET, decodeBootRecord } from './diskFormat.js';

const SQL = 'windows-server-2016-sql';
const POSTGRES = 'ubuntu-22.04-postgres';
const DC = 'windows-server-2016-dc';
const LEGACY = 'legacy-no-integration';

/** Runs the guest application's own checker on a checkpoint's frozen disk, through the backup read. */
function checkCheckpoint(host: Host, vmId: VmId, checkpointId: CheckpointId) {
  return checkGuestDisk((offset, length) =>
    host.readCheckpointDisk(vmId, checkpointId, offset, length),
  );
}

async function runFor(test: Awaited<ReturnType<typeof createTestHost>>, ms: number): Promise<void> {
  await test.clock.advance(ms);
  await test.host.whenIdle();
}

describe('Quick Create gallery', () => {
  it('lists the four simulated guest images', async () => {
    const { host } = await createTestHost();
    expect(host.listGuestImages().map((image) => [image.name, image.integrationServices])).toEqual([
      [SQL, true],
      [POSTGRES, true],
      [DC, true],
      [LEGACY, false],
    ]);
  });

  it('an unknown guest image is refused with INVALID_ARGUMENT listing the gallery', async () => {
    const { host } = await createTestHost();
    await expect(buildVm(host, { guestImage: 'windows-nt-4.0' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'guestImage' },
      message: expect.stringContaining(`${SQL}, ${POSTGRES}, ${DC}, ${LEGACY}`) as unknown,
    });
    expect(host.listVms()).toHaveLength(0);
  });

  it("installs the image on the VM's real disk: a partition table and a boot record with the OS identity", async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { guestImage: SQL });
    const disk = await openDisk(store, vm.hardDrives[0]?.path ?? '');
    const bytes = new Uint8Array(4096);
    await disk.read(bytes.subarray(0, 1024), 0);
    expect([bytes[510], bytes[511]]).toEqual([0x55, 0xaa]);
    expect(new TextDecoder().decode(bytes.subarray(512, 520))).toBe('EFI PART');
    await disk.read(bytes, BOOT_OFFSET);
    await disk.close();
    expect(decodeBootRecord(bytes)).toMatchObject({
      image: SQL,
      os: 'Windows Server 2016 Datacenter',
    });
  });

  it('a VM created without an image has a blank disk and no operating system', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { guestImage: null, state: 'Running' });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint.consistency).toBeNull();
    expect(await checkCheckpoint(host, vm.id, checkpoint.id)).toMatchObject({
      consistency: null,
    });
    expect(host.getGuestConsole(vm.id)).toMatchObject({ os: null, running: false, boot: null });
  });
});

describe('a running guest and its workload', () => {
  it('commits transactions at a steady rate on the clock and writes through its page cache to the current disk', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    expect(test.host.getGuestConsole(vm.id).boot?.kind).toBe('clean-start');
    await runFor(test, 7_000);
    const console = test.host.getGuestConsole(vm.id);
    // 3 transactions a tick, each committing on the next tick.
    expect(console).toMatchObject({
      running: true,
      uptimeMs: 7_000,
      committedTransactions: 18,
      inFlightTransactions: [19, 20, 21],
    });
    expect(console.dirtyPages).toBeGreaterThan(0);
    const leaf = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const disk = await openDisk(test.store, leaf);
    const onDisk = await inspectGuestDisk(async (offset, length) => {
      const buffer = new Uint8Array(length);
      await disk.read(buffer, offset);
      return buffer;
    });
    await disk.close();
    expect(onDisk.log.map((r) => r.lsn)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(onDisk.header?.open).toBe(true);
    expect(onDisk.volume?.clean).toBe(false);
  });

  it('Turn Off loses the in-flight transactions and the next boot runs crash recovery from the log', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 4_000);
    await test.host.changeVmState(vm.id, 'turn-off');
    await test.host.changeVmState(vm.id, 'start');
    const console = test.host.getGuestConsole(vm.id);
    expect(console.boot?.kind).toBe('crash-recovery');
    expect(console).toMatchObject({ committedTransactions: 9, inFlightTransactions: [] });
  });

  it('Shut Down closes the database cleanly and the next boot is a clean start', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await runFor(test, 4_000);
    await test.host.changeVmState(vm.id, 'shut-down');
    const offCheckpoint = await test.host.createCheckpoint(vm.id);
    expect(offCheckpoint.consistency).toBe('ApplicationConsistent');
    await test.host.changeVmState(vm.id, 'start');
    expect(test.host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'clean-start' },
      committedTransactions: 6,
    });
  });

  it("guest memory is saved to the .vmrs sparse, with the size of assigned memory, holding the VM's working set", async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.updateVmSettings(vm.id, { guestWorkingSetMB: 3 });
    await runFor(test, 2_000);
    await test.host.changeVmState(vm.id, 'save');
    const stat = await test.store.stat(`Virtual Machines/${vm.id}.vmrs`);
    expect(stat.size).toBe(4096 + 512 * 1024 * 1024);
    expect(stat.allocatedBytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(stat.allocatedBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    await expect(
      test.host.updateVmSettings(vm.id, { guestWorkingSetMB: 4096 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a guest saved when the host closes resumes after the restart with the same transactions', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await test.host.updateVmSettings(vm.id, { automaticStartAction: 'Nothing' });
    await runFor(test, 3_000);
    const before = test.host.getGuestConsole(vm.id);
    const host = await test.restart();
    expect(host.getVm(vm.id).state).toBe('Saved');
    await host.changeVmState(vm.id, 'start');
    expect(host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'resumed' },
      uptimeMs: before.uptimeMs,
      committedTransactions: before.committedTransactions,
      inFlightTransactions: before.inFlightTransactions,
    });
  });
});

describe('Standard and Production checkpoints of simulated guests', () => {
  it('Apply of a Standard checkpoint leaves the VM Saved and Start resumes the same in-flight transactions', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    await runFor(test, 7_000);
    const before = test.host.getGuestConsole(vm.id);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Standard', hasSavedState: true });
    await runFor(test, 5_000);
    expect(test.host.getGuestConsole(vm.id).committedTransactions).toBe(33);

    const applied = await test.host.applyCheckpoint(vm.id, checkpoint.id);
    expect(applied.state).toBe('Saved');
    await test.host.changeVmState(vm.id, 'start');
    expect(test.host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'resumed' },
      uptimeMs: before.uptimeMs,
      committedTransactions: before.committedTransactions,
      inFlightTransactions: before.inFlightTransactions,
    });
    // The resumed transactions commit on the next tick, as they would have.
    await runFor(test, 1_000);
    expect(test.host.getGuestConsole(vm.id).committedTransactions).toBe(21);
  });

  it('a Standard checkpoint of a running guest is Complete: disks plus memory', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await test.host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    await runFor(test, 3_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint.consistency).toBe('Complete');
    // Without the memory, its disk alone is what a power cut leaves.
    expect((await checkCheckpoint(test.host, vm.id, checkpoint.id)).consistency).toBe(
      'CrashConsistent',
    );
  });

  it('a Production checkpoint of the PostgreSQL guest is file-system consistent', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await runFor(test, 6_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Production', consistency: 'FileSystemConsistent' });
    expect(checkpoint.consistencyDetail).toMatch(/crash recovery redoes/);
  });

  it('the PostgreSQL guest runs crash recovery after applying a Production checkpoint', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await runFor(test, 6_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    await runFor(test, 4_000);
    await test.host.applyCheckpoint(vm.id, checkpoint.id);
    expect(test.host.getVm(vm.id).state).toBe('Off');
    await test.host.changeVmState(vm.id, 'start');
    const console = test.host.getGuestConsole(vm.id);
    expect(console.boot?.kind).toBe('crash-recovery');
    // Committed transactions survive (their log was on disk); the two in flight are lost.
    expect(console).toMatchObject({ committedTransactions: 10, inFlightTransactions: [] });
  });

  it('the legacy guest without integration services cannot take a Production checkpoint: Production falls back, ProductionOnly fails', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: LEGACY, state: 'Running' });
    await runFor(test, 2_000);
    const fallback = await test.host.createCheckpoint(vm.id);
    expect(fallback).toMatchObject({ kind: 'Standard', consistency: 'Complete' });
    expect(fallback.note).toBe(
      'fell back to Standard: the guest has no integration services installed (no Backup (volume shadow copy) service in the guest)',
    );
    await test.host.updateVmSettings(vm.id, { checkpointType: 'ProductionOnly' });
    await expect(test.host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
    });
    expect(test.host.listCheckpoints(vm.id).checkpoints).toHaveLength(1);
  });

  it('the legacy guest cannot be shut down from the host: no shutdown service in the guest', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { guestImage: LEGACY, state: 'Running' });
    await expect(host.changeVmState(vm.id, 'shut-down')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { integrationService: 'operatingSystemShutdown' },
    });
  });

  it('with the Backup service off the SQL guest is not quiesced: Production falls back to Standard and says so', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.updateVmSettings(vm.id, { integrationServices: { backup: false } });
    await runFor(test, 2_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Standard', consistency: 'Complete' });
    expect(checkpoint.note).toBe(
      'fell back to Standard: the Backup (volume shadow copy) integration service is off',
    );
    await test.host.updateVmSettings(vm.id, { checkpointType: 'ProductionOnly' });
    await expect(test.host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
    });
  });

  it('a checkpoint of a turned-off guest is crash-consistent', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 4_000);
    await test.host.changeVmState(vm.id, 'turn-off');
    expect((await test.host.createCheckpoint(vm.id)).consistency).toBe('CrashConsistent');
  });

  it('Take Checkpoint and Apply on a running guest checkpoints its running state first, then stops it', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    const first = await test.host.createCheckpoint(vm.id);
    await runFor(test, 3_000);
    await test.host.applyCheckpoint(vm.id, first.id, { takeCheckpointFirst: true });
    const tree = test.host.listCheckpoints(vm.id).checkpoints;
    expect(tree.map((c) => [c.kind, c.vmState, c.consistency])).toEqual([
      ['Production', 'Running', 'ApplicationConsistent'],
      ['Production', 'Running', 'ApplicationConsistent'],
    ]);
    expect(test.host.getGuestConsole(vm.id).running).toBe(false);
    expect(test.host.getVm(vm.id).state).toBe('Off');
  });
});

describe('Recovery checkpoints and reference points (backup)', () => {
  it('a recovery checkpoint of the SQL guest is application-consistent, has no memory and cannot be applied', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 3_000);
    const recovery = await test.host.createRecoveryCheckpoint(vm.id);
    expect(recovery).toMatchObject({
      kind: 'Recovery',
      snapshotType: 'Recovery',
      hasSavedState: false,
      consistency: 'ApplicationConsistent',
    });
    await expect(test.host.applyCheckpoint(vm.id, recovery.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    expect(test.host.getVm(vm.id).state).toBe('Running');
  });

  it('a recovery checkpoint of a guest that cannot quiesce is crash-consistent and says why', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: LEGACY, state: 'Running' });
    await runFor(test, 3_000);
    const recovery = await test.host.createRecoveryCheckpoint(vm.id);
    expect(recovery).toMatchObject({ kind: 'Recovery', consistency: 'CrashConsistent' });
    expect(recovery.note).toMatch(/^without guest quiescing \(crash-consistent\)/);
  });

  it('the backup reads the frozen disk content while the guest goes on writing', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 3_000);
    const recovery = await test.host.createRecoveryCheckpoint(vm.id);
    const boot = await test.host.readCheckpointDisk(vm.id, recovery.id, BOOT_OFFSET, 4096);
    expect(decodeBootRecord(boot)?.image).toBe(SQL);
    await runFor(test, 5_000);
    expect(await checkCheckpoint(test.host, vm.id, recovery.id)).toMatchObject({
      consistency: 'ApplicationConsistent',
      // The SQL writer froze I/O at 3 s: 6 committed, 3 in flight that recovery rolls back.
      detail: expect.stringContaining('froze I/O at LSN 6 (6 committed transactions)') as unknown,
    });
    await expect(
      test.host.readCheckpointDisk(vm.id, recovery.id, 0, 64 * 1024 * 1024),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('converting a recovery checkpoint deletes it, merges its disk and records a reference point outside the tree', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    const recovery = await test.host.createRecoveryCheckpoint(vm.id);
    const point = await test.host.convertToReferencePoint(vm.id, recovery.id);
    await test.host.whenIdle();
    expect(point).toMatchObject({
      checkpointId: recovery.id,
      consistency: 'ApplicationConsistent',
    });
    expect(test.host.listCheckpoints(vm.id).checkpoints).toHaveLength(0);
    expect(test.host.listReferencePoints(vm.id)).toEqual([point]);
    const again = await test.restart();
    expect(again.listReferencePoints(vm.id)).toEqual([point]);
  });

  it('only recovery checkpoints can be converted to reference points', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { guestImage: SQL, state: 'Running' });
    const production = await host.createCheckpoint(vm.id);
    await expect(host.convertToReferencePoint(vm.id, production.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    expect(host.listReferencePoints(vm.id)).toEqual([]);
  });
});
