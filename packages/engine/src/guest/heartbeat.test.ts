import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

// Behaviour spec R34: a guest without integration services shows Heartbeat "No Contact", no "OK".
describe("a VM's heartbeat and its guest's integration services", () => {
  it('a running guest with integration services answers: OkApplicationsUnknown, in contact', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running', guestImage: 'windows-server-2016-sql' });
    expect(host.getVm(vm.id)).toMatchObject({
      heartbeat: 'OkApplicationsUnknown',
      integrationServicesInContact: true,
    });
  });

  it('a running guest without integration services has no contact', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running', guestImage: 'legacy-no-integration' });
    expect(host.getVm(vm.id)).toMatchObject({
      heartbeat: 'NoContact',
      integrationServicesInContact: false,
    });
  });

  it('a running VM with a blank disk (no operating system) has no contact', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running', guestImage: null });
    expect(host.getVm(vm.id)).toMatchObject({
      heartbeat: 'NoContact',
      integrationServicesInContact: false,
    });
  });

  it('the Heartbeat service turned off reads Disabled; a VM that is not running has none', async () => {
    const { host } = await createTestHost();
    const running = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(running.id, { integrationServices: { heartbeat: false } });
    expect(host.getVm(running.id).heartbeat).toBe('Disabled');
    for (const state of ['Off', 'Saved', 'Paused'] as const) {
      const vm = await buildVm(host, { state });
      expect(host.getVm(vm.id)).toMatchObject({
        heartbeat: null,
        integrationServicesInContact: false,
      });
    }
  });
});
