import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import type { EventLogEntry, HostEvent } from '../types.js';
import { EventIds } from './eventCatalog.js';
import { EVENT_LOG_PATH, ROTATED_EVENT_LOG_PATH } from './eventLogFile.js';

const ALICE = 'CONTOSO\\alice';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('Event log (Hyper-V-VMMS Admin)', () => {
  it('records a checkpoint with its user, VM, level, event id and Hyper-V message', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'SQL-PROD-01' });
    const checkpoint = await host
      .withActor(ALICE)
      .createCheckpoint(vm.id, { name: 'Before patch' });
    const { entries } = await host.queryEventLog({ vmId: vm.id });
    expect(entries[0]).toEqual({
      id: expect.any(Number) as number,
      time: '2024-03-05T14:07:09.000Z',
      level: 'Information',
      eventId: EventIds.CheckpointCreated,
      source: 'Hyper-V-VMMS',
      user: ALICE,
      vmName: 'SQL-PROD-01',
      vmId: vm.id,
      operation: 'Create checkpoint',
      outcome: 'Succeeded',
      message: `'SQL-PROD-01' successfully created checkpoint '${checkpoint.name}'. (Virtual machine ID ${vm.id.toUpperCase()})`,
    });
    // Without an actor, the host's default user (its local administrator).
    expect(entries.at(-1)).toMatchObject({
      operation: 'New virtual machine',
      user: 'TEST-HOST\\Administrator',
      message: `A new virtual machine 'SQL-PROD-01' was created. (Virtual machine ID ${vm.id.toUpperCase()})`,
    });
  });

  it('records a failed checkpoint as an Error and still throws', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'LAB' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Disabled' });
    const error = await errorOf(host.withActor(ALICE).createCheckpoint(vm.id));
    expect(error).toMatchObject({ code: 'CHECKPOINTS_DISABLED' });
    const [failed] = (await host.queryEventLog({ levels: ['Error'] })).entries;
    expect(failed).toMatchObject({
      level: 'Error',
      eventId: EventIds.CheckpointFailed,
      outcome: 'Failed',
      user: ALICE,
      vmName: 'LAB',
    });
    expect(failed?.message).toMatch(/^Checkpoint operation for 'LAB' failed\. /);
    expect(failed?.message).toContain('Checkpoints have been disabled');
  });

  it('a Production checkpoint that falls back to Standard is a Warning', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB', guestImage: null, state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Production' });
    await host.createCheckpoint(vm.id, { name: 'fallback' });
    const [warning] = (await host.queryEventLog({ levels: ['Warning'] })).entries;
    expect(warning).toMatchObject({
      eventId: EventIds.ProductionFellBack,
      operation: 'Create checkpoint',
      vmName: 'WEB',
    });
    expect(warning?.message).toMatch(/^Production checkpoints cannot be created for 'WEB': /);
    expect(warning?.message).toContain('A standard checkpoint was created instead.');
  });

  it('records power actions, settings, rename, apply, revert, delete and the merge that follows', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'APP' });
    const as = host.withActor(ALICE);
    await as.changeVmState(vm.id, 'start');
    await as.changeVmState(vm.id, 'turn-off');
    await as.updateVmSettings(vm.id, { name: 'APP-2', memoryStartupMB: 1024 });
    const a = await as.createCheckpoint(vm.id, { name: 'A' });
    await as.renameCheckpoint(vm.id, a.id, 'A1');
    const b = await as.createCheckpoint(vm.id, { name: 'B' });
    await as.applyCheckpoint(vm.id, a.id);
    await as.revertVm(vm.id);
    await as.deleteCheckpoint(vm.id, b.id);
    await as.deleteCheckpoint(vm.id, a.id);
    await host.whenIdle();
    const { entries } = await host.queryEventLog({ vmId: vm.id });
    const messages = entries.map((e) => e.message.replace(/ \(Virtual machine ID [^)]+\)/, ''));
    expect(messages.reverse()).toEqual([
      "A new virtual machine 'APP' was created.",
      "'APP' started successfully.",
      "'APP' was turned off.",
      "The settings of 'APP-2' were changed (name, memoryStartupMB). 'APP' was renamed to 'APP-2'.",
      "'APP-2' successfully created checkpoint 'A'.",
      "'APP-2' successfully renamed checkpoint 'A' to 'A1'.",
      "'APP-2' successfully created checkpoint 'B'.",
      "'APP-2' successfully applied checkpoint 'A1'.",
      "'APP-2' was reverted to checkpoint 'A1'.",
      "'APP-2' successfully deleted checkpoint 'B'.",
      "'APP-2' successfully deleted checkpoint 'A1'.",
      "The background disk merge for 'APP-2' has completed successfully.",
    ]);
    expect(entries.every((e) => e.source === 'Hyper-V-VMMS')).toBe(true);
    // The merge the delete started is attributed to the user who deleted.
    expect(entries.find((e) => e.operation === 'Merge')).toMatchObject({
      user: ALICE,
      eventId: EventIds.MergeCompleted,
    });
  });

  it('records export, its completion, and the removal of the VM', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'EXP' });
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'gold' });
    await host.withActor(ALICE).exportCheckpoint(vm.id, checkpoint.id, { path: 'Exports' });
    await host.whenIdle();
    await host.withActor(ALICE).deleteVm(vm.id);
    const { entries } = await host.queryEventLog({ text: 'EXP' });
    expect(entries.map((e) => [e.eventId, e.user])).toEqual([
      [EventIds.VmDeleted, ALICE],
      [EventIds.ExportCompleted, ALICE],
      [EventIds.ExportStarted, ALICE],
      [EventIds.CheckpointCreated, 'TEST-HOST\\Administrator'],
      [EventIds.VmCreated, 'TEST-HOST\\Administrator'],
    ]);
    expect(entries[2]?.message).toMatch(
      /^'EXP' started exporting checkpoint 'gold' to 'Exports'\./,
    );
  });

  it('records the automatic checkpoint a Start takes and the save done when the host stops', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'AUTO' });
    await test.host.updateVmSettings(vm.id, {
      automaticCheckpointsEnabled: true,
      automaticStartAction: 'Nothing',
    });
    await test.host.withActor(ALICE).changeVmState(vm.id, 'start');
    await test.host.close();
    const host = await test.restart({ close: false });
    const { entries } = await host.queryEventLog({ vmId: vm.id, limit: 3 });
    expect(
      entries.map((e) => [e.operation, e.user, e.message.replace(/ \(Virtual.*$/, '')]),
    ).toEqual([
      ['Automatic Stop Action', 'NT AUTHORITY\\SYSTEM', "'AUTO' was saved: the host is stopping."],
      ['Start', ALICE, "'AUTO' started successfully."],
      [
        'Automatic checkpoint',
        ALICE,
        expect.stringMatching(
          /^'AUTO' successfully created checkpoint 'Automatic Checkpoint/,
        ) as string,
      ],
    ]);
  });

  it('filters by VM, level, time range and text, newest first, with paging', async () => {
    const { host, clock } = await createTestHost();
    const a = await buildVm(host, { name: 'ALPHA' });
    await clock.advance(60_000);
    const b = await buildVm(host, { name: 'BRAVO' });
    for (let i = 0; i < 5; i += 1) {
      await clock.advance(1000);
      await host.createCheckpoint(b.id, { name: `cp${i}` });
    }
    await host.updateVmSettings(a.id, { checkpointType: 'Disabled' });
    await errorOf(host.createCheckpoint(a.id));

    expect((await host.queryEventLog({ vmId: a.id })).total).toBe(3);
    expect((await host.queryEventLog({ levels: ['Error'] })).entries.map((e) => e.vmName)).toEqual([
      'ALPHA',
    ]);
    const page = await host.queryEventLog({ vmId: b.id, offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 6, offset: 1, limit: 2 });
    expect(page.entries.map((e) => e.message)).toEqual([
      expect.stringContaining("'cp3'"),
      expect.stringContaining("'cp2'"),
    ]);
    const early = await host.queryEventLog({ to: '2024-03-05T14:07:30.000Z' });
    expect(early.entries.map((e) => e.vmName)).toEqual(['ALPHA']);
    const window = await host.queryEventLog({
      from: '2024-03-05T14:08:10.000Z',
      to: '2024-03-05T14:08:11.000Z',
    });
    expect(window.entries.map((e) => e.message)).toEqual([
      expect.stringContaining("'cp1'"),
      expect.stringContaining("'cp0'"),
    ]);
    expect((await host.queryEventLog({ text: 'CP4' })).total).toBe(1);
    const ids = (await host.queryEventLog()).entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
  });

  it('refuses a query it cannot answer, in plain words', async () => {
    const { host } = await createTestHost();
    await expect(host.queryEventLog({ limit: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'limit' },
    });
    await expect(host.queryEventLog({ from: 'yesterday' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'from' },
    });
    await expect(
      host.queryEventLog({ levels: ['Critical' as EventLogEntry['level']] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'levels' } });
  });

  it('tells subscribers about each new entry', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const logged: EventLogEntry[] = [];
    host.subscribe((event: HostEvent) => {
      if (event.type === 'event-logged') logged.push(event.entry);
    });
    await host.createCheckpoint(vm.id);
    expect(logged.map((e) => e.eventId)).toEqual([EventIds.CheckpointCreated]);
  });

  it('survives a restart, numbering on, and a torn last line left by a crash', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'KEEP' });
    await test.host.createCheckpoint(vm.id, { name: 'one' });
    await test.host.close();
    // A crash in the middle of an append leaves half a line behind.
    const bytes = await test.store.readFile(EVENT_LOG_PATH);
    const torn = new TextEncoder().encode('{"id":3,"time":"2024-03-05T14:0');
    const withTail = new Uint8Array(bytes.length + torn.length);
    withTail.set(bytes);
    withTail.set(torn, bytes.length);
    await test.store.writeFileAtomic(EVENT_LOG_PATH, withTail);

    const host = await test.restart({ close: false });
    expect((await host.queryEventLog()).entries.map((e) => [e.id, e.vmName])).toEqual([
      [2, 'KEEP'],
      [1, 'KEEP'],
    ]);
    await host.createCheckpoint(vm.id, { name: 'two' });
    await host.close();
    const text = new TextDecoder().decode(await test.store.readFile(EVENT_LOG_PATH));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => (JSON.parse(line) as EventLogEntry).id)).toEqual([1, 2, 3]);
  });

  it('rotates to a .1 file and keeps its size bounded', async () => {
    const test = await createTestHost({ eventLogMaxBytes: 2000 });
    const vm = await buildVm(test.host, { name: 'ROT' });
    for (let i = 0; i < 30; i += 1) await test.host.createCheckpoint(vm.id, { name: `c${i}` });
    expect(await test.store.exists(ROTATED_EVENT_LOG_PATH)).toBe(true);
    expect((await test.store.stat(EVENT_LOG_PATH)).size).toBeLessThanOrEqual(2000);
    expect((await test.store.stat(ROTATED_EVENT_LOG_PATH)).size).toBeLessThanOrEqual(2000);
    const page = await test.host.queryEventLog({ limit: 1000 });
    expect(page.total).toBeLessThan(31);
    expect(page.entries[0]?.message).toContain("'c29'");
    // After a restart the same entries are there: the two files, nothing older.
    const host = await test.restart();
    expect((await host.queryEventLog({ limit: 1000 })).entries).toEqual(page.entries);
  });
});
