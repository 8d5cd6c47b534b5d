/**
 * SQL Server's VSS writer as the model has it (behaviour spec R33; SQL Server's "SQL Server Backup
 * Applications - Volume Shadow Copy Service (VSS) and SQL Writer"): at the freeze it freezes the
 * database's I/O and commits nothing; the snapshot is in a non-recovered state, and recovery rolls
 * back the transactions that were in flight (VSS_CF_APP_ROLLBACK_RECOVERY).
 */
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { checkGuestDisk, inspectGuestDisk } from './checker.js';

const SQL = 'windows-server-2016-sql';

async function runFor(test: Awaited<ReturnType<typeof createTestHost>>, ms: number): Promise<void> {
  await test.clock.advance(ms);
  await test.host.whenIdle();
}

describe("SQL Server's VSS writer at a Production checkpoint", () => {
  it('freezes I/O without committing: the transactions in flight stay in flight in the guest', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 7_000);
    expect(test.host.getGuestConsole(vm.id)).toMatchObject({
      committedTransactions: 18,
      inFlightTransactions: [19, 20, 21],
    });
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Production', hasSavedState: false });
    expect(checkpoint.note).toMatch(
      /VSS writer .* I\/O frozen at LSN 18 .* 3 transactions stay in flight/,
    );
    // The guest thawed with the same three still in flight; they commit on its next tick.
    expect(test.host.getGuestConsole(vm.id)).toMatchObject({
      committedTransactions: 18,
      inFlightTransactions: [19, 20, 21],
    });
    await runFor(test, 1_000);
    expect(test.host.getGuestConsole(vm.id).committedTransactions).toBe(21);
  });

  it('its checker calls the frozen image application-consistent, with the 18 committed and 3 to roll back', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 7_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint.consistency).toBe('ApplicationConsistent');
    expect(checkpoint.consistencyDetail).toMatch(
      /VSS writer froze I\/O at LSN 18 \(18 committed transactions\); recovery redoes \d+ and rolls back 3 in flight/,
    );
    // The guest goes on writing to the new disk; the frozen image stays as it was.
    await runFor(test, 10_000);
    const read = (offset: number, length: number) =>
      test.host.readCheckpointDisk(vm.id, checkpoint.id, offset, length);
    const onDisk = await inspectGuestDisk(read);
    expect(onDisk.header).toMatchObject({ open: true, writerFrozen: true });
    expect(onDisk.volume?.clean).toBe(true);
    expect(onDisk.log.at(-1)?.lsn).toBe(18);
    expect(onDisk.inFlight).toEqual([19, 20, 21]);
    expect((await checkGuestDisk(read)).consistency).toBe('ApplicationConsistent');
  });

  it("after applying it, the guest's recovery rolls the in-flight transactions back", async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 7_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    await runFor(test, 5_000);
    expect((await test.host.applyCheckpoint(vm.id, checkpoint.id)).state).toBe('Off');
    await test.host.changeVmState(vm.id, 'start');
    const console = test.host.getGuestConsole(vm.id);
    expect(console).toMatchObject({
      boot: {
        kind: 'crash-recovery',
        message: expect.stringMatching(
          /Recovery of a VSS snapshot: .* up to LSN 18 and rolled back 3 transactions/,
        ) as unknown,
      },
      uptimeMs: 0,
      committedTransactions: 18,
      inFlightTransactions: [],
    });
    // Numbering goes on after the last committed one: 19 begins again, as a new transaction.
    await runFor(test, 2_000);
    expect(test.host.getGuestConsole(vm.id).committedTransactions).toBe(21);
  });

  it('a Production checkpoint of the recovered guest is application-consistent again', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    await runFor(test, 4_000);
    const first = await test.host.createCheckpoint(vm.id);
    await test.host.applyCheckpoint(vm.id, first.id);
    await test.host.changeVmState(vm.id, 'start');
    await runFor(test, 3_000);
    const second = await test.host.createCheckpoint(vm.id);
    expect(second.consistency).toBe('ApplicationConsistent');
  });
});
