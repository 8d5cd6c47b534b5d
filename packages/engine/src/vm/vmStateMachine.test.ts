import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import { buildVm, createTestHost } from '../testing/index.js';

describe('VM state machine (behaviour spec §8.3)', () => {
  it('a new VM is Off, generation 2, 1024 MB, configuration version 10.0, with a 127 GB dynamic disk', async () => {
    const { host } = await createTestHost();
    const vm = await host.createVm({ name: '  SQL-01  ' });
    expect(vm).toMatchObject({
      name: 'SQL-01',
      state: 'Off',
      generation: 2,
      memoryStartupMB: 1024,
      memoryAssignedMB: 0,
      configurationVersion: '10.0',
      checkpointType: 'Production',
      status: 'Operating normally',
    });
    expect(vm.hardDrives).toEqual([
      {
        controllerLocation: 'SCSI 0:0',
        path: 'Virtual Hard Disks/SQL-01.vhdx',
        chain: ['Virtual Hard Disks/SQL-01.vhdx'],
        virtualSizeBytes: 136_365_211_648,
      },
    ]);
    expect(vm.integrationServices).toEqual({
      operatingSystemShutdown: true,
      timeSynchronization: true,
      dataExchange: true,
      heartbeat: true,
      backup: true,
      guestServices: false,
    });
  });

  it('refuses an empty name and a name over 100 characters (another VM’s name is allowed: R36)', async () => {
    const { host } = await createTestHost();
    await host.createVm({ name: 'WEB' });
    await expect(host.createVm({ name: '   ' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(host.createVm({ name: 'x'.repeat(101) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect((await host.createVm({ name: 'web' })).name).toBe('web');
    await expect(host.createVm({ name: 'A', memoryStartupMB: 16 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('Start goes Off → Starting → Running and assigns the startup memory', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const states: string[] = [];
    host.subscribe((e) => {
      if (e.type === 'vm-changed') states.push(e.vm.state);
    });
    const running = await host.changeVmState(vm.id, 'start');
    expect(states).toEqual(['Starting', 'Running']);
    expect(running).toMatchObject({ state: 'Running', memoryAssignedMB: 512 });
    expect(running.cpuUsage).toBeGreaterThan(0);
  });

  it('uptime counts while Running, freezes while Paused and is restored exactly after Save and Start', async () => {
    const { host, clock } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await clock.advance(10_000);
    expect(host.getVm(vm.id).uptimeMs).toBe(10_000);
    await host.changeVmState(vm.id, 'pause');
    await clock.advance(5_000);
    expect(host.getVm(vm.id)).toMatchObject({
      state: 'Paused',
      uptimeMs: 10_000,
      cpuUsage: 0,
      memoryAssignedMB: 512,
    });
    await host.changeVmState(vm.id, 'resume');
    await clock.advance(2_000);
    await host.changeVmState(vm.id, 'save');
    expect(host.getVm(vm.id)).toMatchObject({ state: 'Saved', memoryAssignedMB: 0 });
    await clock.advance(60_000);
    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).uptimeMs).toBe(12_000);
  });

  it('Save writes a sparse memory state file of the startup memory size', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.changeVmState(vm.id, 'save');
    const stat = await store.stat(`Virtual Machines/${vm.id}.vmrs`);
    expect(stat.size).toBe(4096 + 512 * 1024 * 1024);
    expect(stat.allocatedBytes).toBeLessThan(4 * 1024 * 1024);
    await host.changeVmState(vm.id, 'start');
    expect(await store.exists(`Virtual Machines/${vm.id}.vmrs`)).toBe(false);
  });

  it('Shut Down needs the Operating system shutdown integration service', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, { integrationServices: { operatingSystemShutdown: false } });
    const error: unknown = await host.changeVmState(vm.id, 'shut-down').catch((e: unknown) => e);
    expect(isEngineError(error, 'INVALID_STATE')).toBe(true);
    expect((error as Error).message).toMatch(/Operating system shutdown/);
    await host.updateVmSettings(vm.id, { integrationServices: { operatingSystemShutdown: true } });
    expect(await host.changeVmState(vm.id, 'shut-down')).toMatchObject({
      state: 'Off',
      uptimeMs: 0,
    });
  });

  it('actions from the wrong state fail with Hyper-V’s message', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    for (const action of ['turn-off', 'shut-down', 'save', 'pause', 'resume', 'reset'] as const) {
      await expect(host.changeVmState(vm.id, action)).rejects.toMatchObject({
        code: 'INVALID_STATE',
        message:
          'The operation cannot be performed while the virtual machine is in its current state.',
      });
    }
  });

  it('Turn Off interrupts Starting; a checkpoint meanwhile is refused with INVALID_STATE', async () => {
    const { host, clock } = await createTestHost({ timing: { start: 600 } });
    const vm = await buildVm(host);
    const starting = host.changeVmState(vm.id, 'start');
    const outcome = starting.catch((e: unknown) => e);
    await clock.advance(100);
    expect(host.getVm(vm.id).state).toBe('Starting');
    await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { actual: 'Starting' },
    });
    expect(await host.changeVmState(vm.id, 'turn-off')).toMatchObject({ state: 'Off' });
    expect(await outcome).toMatchObject({ code: 'CANCELLED' });
    await clock.advance(1000);
    expect(host.getVm(vm.id).state).toBe('Off');
  });

  it('Reset keeps the VM Running with uptime back to 0', async () => {
    const { host, clock } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await clock.advance(5000);
    expect(await host.changeVmState(vm.id, 'reset')).toMatchObject({
      state: 'Running',
      uptimeMs: 0,
    });
  });

  it('a Start whose guest cannot come up (its disk is gone) fails and leaves the VM as it was', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host);
    await test.store.unlink(vm.hardDrives[0]?.path ?? '');
    // In Windows' words (Win32 ERROR_FILE_NOT_FOUND), the code kept for callers.
    const failure = test.host.changeVmState(vm.id, 'start');
    await expect(failure).rejects.toThrow(
      'The system cannot find the file specified. (0x80070002)',
    );
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT' });
    expect(test.host.getVm(vm.id)).toMatchObject({ state: 'Off', uptimeMs: 0 });
    expect(test.host.getGuestConsole(vm.id).running).toBe(false);
  });
});
