import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

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
