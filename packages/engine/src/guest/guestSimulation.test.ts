/** Simulated guest faults (a simulation extension): what each one does to Hyper-V's behaviour. */
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const SQL = 'windows-server-2016-sql';
const POSTGRES = 'ubuntu-22.04-postgres';

async function runFor(test: Awaited<ReturnType<typeof createTestHost>>, ms: number): Promise<void> {
  await test.clock.advance(ms);
  await test.host.whenIdle();
}

describe('setGuestSimulation', () => {
  it('turns faults on and off, keeps them in the VM configuration and logs the change', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL });
    expect(test.host.getVm(vm.id).guestSimulation).toEqual({
      vssWriterFails: false,
      backupDaemonStopped: false,
      ignoresShutdown: false,
    });
    const detail = await test.host.setGuestSimulation(vm.id, { vssWriterFails: true });
    expect(detail.guestSimulation).toMatchObject({ vssWriterFails: true, ignoresShutdown: false });
    const again = await test.restart();
    expect(again.getVm(vm.id).guestSimulation?.vssWriterFails).toBe(true);
    await again.setGuestSimulation(vm.id, { vssWriterFails: false, ignoresShutdown: true });
    expect(again.getVm(vm.id).guestSimulation).toEqual({
      vssWriterFails: false,
      backupDaemonStopped: false,
      ignoresShutdown: true,
    });
    const { entries } = await again.queryEventLog();
    expect(entries.map((e) => e.message)).toContain(
      `The settings of '${vm.name}' were changed (guest simulation: vssWriterFails on). (Virtual machine ID ${vm.id.toUpperCase()})`,
    );
  });

  it('refuses unknown faults and values that are not true or false', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { guestImage: SQL });
    await expect(
      host.setGuestSimulation(vm.id, { diskFails: true } as never),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'vssWriterFails, backupDaemonStopped, ignoresShutdown',
      ) as unknown,
    });
    await expect(
      host.setGuestSimulation(vm.id, { ignoresShutdown: 'yes' } as never),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(host.getVm(vm.id).guestSimulation?.ignoresShutdown).toBe(false);
  });
});

describe('a VSS writer that fails', () => {
  it('makes a Production checkpoint fall back to Standard with the reason, and ProductionOnly fail', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.setGuestSimulation(vm.id, { vssWriterFails: true });
    await runFor(test, 2_000);
    const fallback = await test.host.createCheckpoint(vm.id);
    expect(fallback).toMatchObject({
      kind: 'Standard',
      fallbackReason: 'vss-writer-failed',
      consistency: 'Complete',
    });
    expect(fallback.note).toBe(
      "fell back to Standard: a VSS writer in the guest failed, so the guest's disks could not be prepared",
    );
    expect(test.host.getGuestConsole(vm.id).lines.join('\n')).toContain(
      'failed at the freeze (simulated fault)',
    );
    await test.host.updateVmSettings(vm.id, { checkpointType: 'ProductionOnly' });
    await expect(test.host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
      message: expect.stringContaining('a VSS writer in the guest failed') as unknown,
    });
    expect(test.host.listCheckpoints(vm.id).checkpoints).toHaveLength(1);
  });

  it('does not touch a guest without a VSS writer (PostgreSQL is frozen by hv_vss_daemon)', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await test.host.setGuestSimulation(vm.id, { vssWriterFails: true });
    expect((await test.host.createCheckpoint(vm.id)).kind).toBe('Production');
  });
});

describe('the backup daemon stopped in the guest', () => {
  it('makes Production fall back to Standard (S52) and ProductionOnly fail (S60)', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
    await test.host.setGuestSimulation(vm.id, { backupDaemonStopped: true });
    await runFor(test, 2_000);
    const fallback = await test.host.createCheckpoint(vm.id);
    expect(fallback).toMatchObject({ kind: 'Standard', fallbackReason: 'backup-daemon-stopped' });
    expect(test.host.getGuestConsole(vm.id).lines.join('\n')).toContain(
      'hv_vss_daemon is stopped (simulated fault)',
    );
    await test.host.updateVmSettings(vm.id, { checkpointType: 'ProductionOnly' });
    await expect(test.host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
    });
    // Back on: the next Production checkpoint is one again.
    await test.host.setGuestSimulation(vm.id, { backupDaemonStopped: false });
    expect((await test.host.createCheckpoint(vm.id)).kind).toBe('Production');
  });

  it('leaves a backup crash-consistent and says why', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.setGuestSimulation(vm.id, { backupDaemonStopped: true });
    await runFor(test, 2_000);
    const recovery = await test.host.createRecoveryCheckpoint(vm.id);
    expect(recovery).toMatchObject({ kind: 'Recovery', consistency: 'CrashConsistent' });
    expect(recovery.note).toContain('the backup daemon in the guest is not running');
  });
});

describe('a guest that ignores Shut Down', () => {
  it('fails Shut Down with "Failed to stop." and the VM keeps running; Turn Off still works', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.setGuestSimulation(vm.id, { ignoresShutdown: true });
    await runFor(test, 2_000);
    await expect(test.host.changeVmState(vm.id, 'shut-down')).rejects.toMatchObject({
      code: 'OPERATION_FAILED',
      message: expect.stringMatching(/^Failed to stop\. /) as unknown,
    });
    expect(test.host.getVm(vm.id).state).toBe('Running');
    await runFor(test, 1_000);
    expect(test.host.getGuestConsole(vm.id).committedTransactions).toBe(6);
    const { entries } = await test.host.queryEventLog();
    expect(entries[0]).toMatchObject({
      level: 'Error',
      message: expect.stringContaining(
        `'${vm.name}' failed to shut down. Failed to stop.`,
      ) as unknown,
    });
    expect((await test.host.changeVmState(vm.id, 'turn-off')).state).toBe('Off');
  });
});

describe('a guest that ignores Shut Down, as the host stops', () => {
  it('is turned off instead when its Automatic Stop Action is ShutDown', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await test.host.updateVmSettings(vm.id, {
      automaticStopAction: 'ShutDown',
      automaticStartAction: 'Nothing',
    });
    await test.host.setGuestSimulation(vm.id, { ignoresShutdown: true });
    await runFor(test, 4_000);
    const host = await test.restart();
    expect(host.getVm(vm.id).state).toBe('Off');
    await host.changeVmState(vm.id, 'start');
    // Turned off, not shut down: the next boot runs crash recovery.
    expect(host.getGuestConsole(vm.id).boot?.kind).toBe('crash-recovery');
  });
});
