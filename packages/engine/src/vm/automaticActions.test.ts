import { describe, expect, it } from 'vitest';
import { EventIds } from '../eventLog/eventCatalog.js';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost, flushPromises } from '../testing/index.js';
import type { VmDetail, VmId, VmSettingsUpdate } from '../types.js';

describe('Automatic Start Action and Automatic Stop Action (behaviour spec §7.2)', () => {
  it("default to Hyper-V's StartIfRunning, no delay, and Save", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    expect(host.getVm(vm.id)).toMatchObject({
      automaticStartAction: 'StartIfRunning',
      automaticStartDelaySeconds: 0,
      automaticStopAction: 'Save',
    });
  });

  it('are changed by the settings and survive a host restart', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host);
    await test.host.updateVmSettings(vm.id, {
      automaticStartAction: 'Start',
      automaticStartDelaySeconds: 120,
      automaticStopAction: 'ShutDown',
    });
    const again = await test.restart();
    expect(again.getVm(vm.id)).toMatchObject({
      automaticStartAction: 'Start',
      automaticStartDelaySeconds: 120,
      automaticStopAction: 'ShutDown',
    });
  });

  it('refuse unknown actions and bad delays, changing nothing', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await expect(
      host.updateVmSettings(vm.id, { automaticStartAction: 'Always' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      host.updateVmSettings(vm.id, { automaticStopAction: 'Hibernate' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      host.updateVmSettings(vm.id, { name: 'Other', automaticStartDelaySeconds: -1 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(host.getVm(vm.id)).toMatchObject({
      name: vm.name,
      automaticStartAction: 'StartIfRunning',
      automaticStartDelaySeconds: 0,
    });
  });
});

const SQL = 'windows-server-2016-sql';
const POSTGRES = 'ubuntu-22.04-postgres';
const LEGACY = 'legacy-no-integration';
const SYSTEM = 'NT AUTHORITY\\SYSTEM';

type Test = Awaited<ReturnType<typeof createTestHost>>;

/** The VM's persisted file, as the next host reads it. */
async function vmFileOf(test: Test, vmId: VmId): Promise<Record<string, unknown>> {
  const bytes = await test.store.readFile(`Virtual Machines/${vmId}.json`);
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** A VM with a guest that has run its workload for a while, with the given automatic actions. */
async function runningVm(
  test: Test,
  settings: VmSettingsUpdate,
  input: Parameters<typeof buildVm>[1] = {},
): Promise<VmDetail> {
  const vm = await buildVm(test.host, input);
  await test.host.updateVmSettings(vm.id, settings);
  await test.host.changeVmState(vm.id, 'start');
  await test.clock.advance(4_000);
  await test.host.whenIdle();
  return vm;
}

/** Event log entries of one VM, oldest first, as [operation, user, message without the VM id]. */
async function eventsOf(host: Host, vmId: VmId): Promise<[string, string, string][]> {
  const { entries } = await host.queryEventLog({ vmId });
  return entries
    .map((e): [string, string, string] => [
      e.operation,
      e.user,
      e.message.replace(/ \(Virtual machine ID [0-9A-F-]+\)/, ''),
    ])
    .reverse();
}

describe('Automatic Stop Action: what happens to a running VM when the host stops', () => {
  it('Save: the VM is saved, comes back Saved and resumes where it was', async () => {
    const test = await createTestHost();
    const vm = await runningVm(test, {
      automaticStopAction: 'Save',
      automaticStartAction: 'Nothing',
    });
    const committed = test.host.getGuestConsole(vm.id).committedTransactions;
    const host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Saved');
    expect(await vmFileOf(test, vm.id)).toMatchObject({ state: 'Saved', runningAtHostStop: true });
    await host.changeVmState(vm.id, 'start');
    expect(host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'resumed' },
      committedTransactions: committed,
    });
    expect((await eventsOf(host, vm.id)).slice(-2, -1)).toEqual([
      ['Automatic Stop Action', SYSTEM, `'${vm.name}' was saved: the host is stopping.`],
    ]);
  });

  it('TurnOff: the VM loses its memory as with Turn Off, comes back Off, and its next boot runs crash recovery', async () => {
    const test = await createTestHost();
    const vm = await runningVm(
      test,
      { automaticStopAction: 'TurnOff', automaticStartAction: 'Nothing' },
      { guestImage: SQL },
    );
    const host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await test.store.exists(`Virtual Machines/${vm.id}.vmrs`)).toBe(false);
    expect(await vmFileOf(test, vm.id)).toMatchObject({ state: 'Off', runningAtHostStop: true });
    await host.changeVmState(vm.id, 'start');
    expect(host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'crash-recovery' },
      committedTransactions: 9,
      inFlightTransactions: [],
    });
    expect(await eventsOf(host, vm.id)).toContainEqual([
      'Automatic Stop Action',
      SYSTEM,
      `'${vm.name}' was turned off: the host is stopping.`,
    ]);
  });

  it('ShutDown: the guest is shut down through the integration service, comes back Off, and its next boot is clean', async () => {
    const test = await createTestHost();
    const vm = await runningVm(
      test,
      { automaticStopAction: 'ShutDown', automaticStartAction: 'Nothing' },
      { guestImage: POSTGRES },
    );
    const host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await vmFileOf(test, vm.id)).toMatchObject({ state: 'Off', runningAtHostStop: true });
    const offCheckpoint = await host.createCheckpoint(vm.id);
    expect(offCheckpoint.consistency).toBe('ApplicationConsistent');
    await host.changeVmState(vm.id, 'start');
    expect(host.getGuestConsole(vm.id)).toMatchObject({
      boot: { kind: 'clean-start' },
      committedTransactions: 6,
    });
    expect(await eventsOf(host, vm.id)).toContainEqual([
      'Automatic Stop Action',
      SYSTEM,
      `'${vm.name}' was shut down: the host is stopping.`,
    ]);
  });

  it('ShutDown removes the automatic checkpoint as a Shut Down does; its merge finishes when the host starts again', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: POSTGRES });
    await test.host.updateVmSettings(vm.id, {
      automaticCheckpointsEnabled: true,
      automaticStopAction: 'ShutDown',
      automaticStartAction: 'Nothing',
    });
    await test.host.changeVmState(vm.id, 'start');
    expect(test.host.getVm(vm.id).checkpointCount).toBe(1);
    await test.clock.advance(2_000);
    const host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(vm.id).checkpointCount).toBe(0);
    // The merge that deleting it starts is stopped with the host and finishes when it opens again.
    const events = await eventsOf(host, vm.id);
    const shutDown = events.findIndex(([operation]) => operation === 'Automatic Stop Action');
    expect(events.slice(shutDown - 1)).toEqual([
      [
        'Automatic checkpoint',
        SYSTEM,
        expect.stringMatching(
          new RegExp(`^'${vm.name}' successfully deleted checkpoint 'Automatic Checkpoint`),
        ) as string,
      ],
      ['Automatic Stop Action', SYSTEM, `'${vm.name}' was shut down: the host is stopping.`],
      ['Merge', SYSTEM, `The background disk merge for '${vm.name}' has completed successfully.`],
    ]);
    expect(host.getVm(vm.id).hardDrives[0]?.chain).toHaveLength(1);
    expect((await host.checkHost()).ok).toBe(true);
    // The merge cut short by the stop is no error: a warning says it resumes.
    expect((await host.queryEventLog({ vmId: vm.id, levels: ['Error'] })).entries).toEqual([]);
    const warnings = (await host.queryEventLog({ vmId: vm.id, levels: ['Warning'] })).entries;
    expect(warnings.map((e) => [e.eventId, e.operation, e.message])).toEqual([
      [
        19085,
        'Merge',
        `The background disk merge for '${vm.name}' was interrupted because the host is stopping; it resumes when the host starts again.`,
      ],
    ]);
  });

  it.each([
    ['the Operating system shutdown service is disabled', SQL, false],
    ['the guest has no integration services', LEGACY, true],
  ])(
    'ShutDown when %s: the VM is turned off instead, with a warning',
    async (_why, guestImage, shutdownService) => {
      const test = await createTestHost();
      const vm = await runningVm(
        test,
        {
          automaticStopAction: 'ShutDown',
          automaticStartAction: 'Nothing',
          integrationServices: { operatingSystemShutdown: shutdownService },
        },
        { guestImage },
      );
      const host = await test.restart();
      await host.whenIdle();
      expect(host.getVm(vm.id).state).toBe('Off');
      expect(await vmFileOf(test, vm.id)).toMatchObject({ state: 'Off', runningAtHostStop: true });
      const [warning] = (await host.queryEventLog({ vmId: vm.id, levels: ['Warning'] })).entries;
      expect(warning).toMatchObject({ operation: 'Automatic Stop Action', user: SYSTEM });
      expect(warning?.message).toMatch(
        new RegExp(
          `^'${vm.name}' was turned off: the host is stopping and it could not be shut down\\. Cannot shut down`,
        ),
      );
      if (guestImage === SQL) {
        await host.changeVmState(vm.id, 'start');
        expect(host.getGuestConsole(vm.id).boot?.kind).toBe('crash-recovery');
      }
    },
  );

  it('ShutDown of a VM without an operating system turns it off', async () => {
    const test = await createTestHost();
    const vm = await runningVm(
      test,
      { automaticStopAction: 'ShutDown', automaticStartAction: 'Nothing' },
      { guestImage: null },
    );
    const host = await test.restart();
    expect(host.getVm(vm.id).state).toBe('Off');
  });

  it('a paused VM counts as running: it gets its stop action and the record', async () => {
    const test = await createTestHost();
    const saved = await runningVm(test, { automaticStartAction: 'Nothing' });
    const off = await runningVm(test, {
      automaticStopAction: 'TurnOff',
      automaticStartAction: 'Nothing',
    });
    await test.host.changeVmState(saved.id, 'pause');
    await test.host.changeVmState(off.id, 'pause');
    const host = await test.restart();
    expect([host.getVm(saved.id).state, host.getVm(off.id).state]).toEqual(['Saved', 'Off']);
    expect(await vmFileOf(test, saved.id)).toMatchObject({ runningAtHostStop: true });
    expect(await vmFileOf(test, off.id)).toMatchObject({ runningAtHostStop: true });
  });

  it('leaves Off and Saved VMs as they are, without the record', async () => {
    const test = await createTestHost();
    const off = await buildVm(test.host);
    const saved = await buildVm(test.host, { state: 'Saved' });
    for (const vm of [off, saved])
      await test.host.updateVmSettings(vm.id, { automaticStopAction: 'TurnOff' });
    const host = await test.restart();
    expect([host.getVm(off.id).state, host.getVm(saved.id).state]).toEqual(['Off', 'Saved']);
    expect(await vmFileOf(test, off.id)).not.toHaveProperty('runningAtHostStop');
    expect(await vmFileOf(test, saved.id)).not.toHaveProperty('runningAtHostStop');
  });
});

describe('Automatic Start Action: what a VM does when the host starts', () => {
  it('Nothing: every VM stays as it came back', async () => {
    const test = await createTestHost();
    const saved = await runningVm(test, { automaticStartAction: 'Nothing' });
    const off = await runningVm(test, {
      automaticStartAction: 'Nothing',
      automaticStopAction: 'TurnOff',
    });
    const host = await test.restart();
    await host.whenIdle();
    expect([host.getVm(saved.id).state, host.getVm(off.id).state]).toEqual(['Saved', 'Off']);
  });

  it('StartIfRunning: only the VMs that were running when the host stopped start again, and the record is cleared', async () => {
    const test = await createTestHost();
    const saved = await runningVm(test, { automaticStartAction: 'StartIfRunning' });
    const turnedOff = await runningVm(
      test,
      { automaticStartAction: 'StartIfRunning', automaticStopAction: 'TurnOff' },
      { guestImage: SQL },
    );
    const wasOff = await buildVm(test.host);
    const wasSaved = await buildVm(test.host, { state: 'Saved' });
    const committed = test.host.getGuestConsole(saved.id).committedTransactions;
    const host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(saved.id).state).toBe('Running');
    expect(host.getGuestConsole(saved.id)).toMatchObject({
      boot: { kind: 'resumed' },
      committedTransactions: committed,
    });
    expect(host.getVm(turnedOff.id).state).toBe('Running');
    expect(host.getGuestConsole(turnedOff.id).boot?.kind).toBe('crash-recovery');
    expect([host.getVm(wasOff.id).state, host.getVm(wasSaved.id).state]).toEqual(['Off', 'Saved']);
    expect(await vmFileOf(test, saved.id)).not.toHaveProperty('runningAtHostStop');
    expect(await vmFileOf(test, turnedOff.id)).not.toHaveProperty('runningAtHostStop');
  });

  it('Start: the VM starts with the host even when it was Off or Saved', async () => {
    const test = await createTestHost();
    const off = await buildVm(test.host, { guestImage: POSTGRES });
    const saved = await buildVm(test.host, { state: 'Saved' });
    for (const vm of [off, saved])
      await test.host.updateVmSettings(vm.id, { automaticStartAction: 'Start' });
    const host = await test.restart();
    await host.whenIdle();
    expect([host.getVm(off.id).state, host.getVm(saved.id).state]).toEqual(['Running', 'Running']);
    expect(host.getGuestConsole(off.id).boot?.kind).toBe('clean-start');
    expect(host.getGuestConsole(saved.id).boot?.kind).toBe('resumed');
  });

  it('a killed host (never closed) leaves no record: its running VMs come back Off and StartIfRunning starts nothing', async () => {
    const test = await createTestHost();
    const vm = await runningVm(test, { automaticStartAction: 'StartIfRunning' });
    const always = await buildVm(test.host);
    await test.host.updateVmSettings(always.id, { automaticStartAction: 'Start' });
    const host = await test.restart({ close: false });
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await vmFileOf(test, vm.id)).not.toHaveProperty('runningAtHostStop');
    expect(host.getVm(always.id).state).toBe('Running');
  });

  it('runs in the background after the host opens, as NT AUTHORITY\\SYSTEM, holding the VM like any operation', async () => {
    const test = await createTestHost({ timing: { start: 1_000 } });
    const vm = await buildVm(test.host);
    await test.host.updateVmSettings(vm.id, {
      automaticStartAction: 'Start',
      automaticCheckpointsEnabled: true,
    });
    const host = await test.restart();
    await flushPromises();
    expect(host.getVm(vm.id).state).toBe('Starting');
    await expect(host.changeVmState(vm.id, 'start')).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    const idle = host.whenIdle();
    await test.clock.advance(1_000);
    await idle;
    expect(host.getVm(vm.id).state).toBe('Running');
    const events = await eventsOf(host, vm.id);
    expect(events.slice(-2)).toEqual([
      [
        'Automatic checkpoint',
        SYSTEM,
        expect.stringMatching(
          new RegExp(`^'${vm.name}' successfully created checkpoint 'Automatic Checkpoint`),
        ) as string,
      ],
      ['Automatic Start Action', SYSTEM, `'${vm.name}' started successfully.`],
    ]);
    const [started] = (await host.queryEventLog({ vmId: vm.id, limit: 1 })).entries;
    expect(started).toMatchObject({ eventId: EventIds.VmStarted, level: 'Information' });
  });

  it('a VM turned off during its automatic start stays off with the next host', async () => {
    const test = await createTestHost({ timing: { start: 1_000 } });
    const vm = await buildVm(test.host);
    const started = test.host.changeVmState(vm.id, 'start');
    await test.clock.advance(1_000);
    await started;
    let host = await test.restart();
    await flushPromises();
    expect(host.getVm(vm.id).state).toBe('Starting');
    await host.changeVmState(vm.id, 'turn-off');
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await vmFileOf(test, vm.id)).not.toHaveProperty('runningAtHostStop');
    host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Off');
  });

  it('waits the automatic start delay; a host closed during the delay starts nothing and keeps the record', async () => {
    const test = await createTestHost();
    const vm = await runningVm(test, {
      automaticStartAction: 'StartIfRunning',
      automaticStartDelaySeconds: 30,
    });
    let host = await test.restart();
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Saved');
    host = await test.restart();
    expect(await vmFileOf(test, vm.id)).toMatchObject({ state: 'Saved', runningAtHostStop: true });
    await test.clock.advance(29_000);
    expect(host.getVm(vm.id).state).toBe('Saved');
    await test.clock.advance(1_000);
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Running');
  });

  it('a VM that fails to start is logged as an error; the other VMs and the host go on', async () => {
    const test = await createTestHost();
    const broken = await runningVm(test, { automaticStopAction: 'TurnOff' });
    const fine = await runningVm(test, {});
    await test.host.close();
    await test.store.unlink(broken.hardDrives[0]?.path ?? '');
    const host = await test.restart({ close: false });
    await host.whenIdle();
    expect(host.getVm(broken.id).state).toBe('Off');
    expect(host.getVm(fine.id).state).toBe('Running');
    const [error] = (await host.queryEventLog({ vmId: broken.id, levels: ['Error'] })).entries;
    expect(error).toMatchObject({
      eventId: EventIds.PowerActionFailed,
      operation: 'Automatic Start Action',
      user: SYSTEM,
    });
    expect(error?.message).toMatch(new RegExp(`^'${broken.name}' failed to start\\. `));
    expect(await vmFileOf(test, broken.id)).not.toHaveProperty('runningAtHostStop');
    await host.changeVmState(fine.id, 'save');
    expect(host.getVm(fine.id).state).toBe('Saved');
  });
});
