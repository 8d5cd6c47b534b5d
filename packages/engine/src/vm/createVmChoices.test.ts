import { describe, expect, test } from 'vitest';
import { createTestHost } from '../testing/index.js';

describe("New Virtual Machine in one request: Assign Memory's Dynamic Memory and Configure Networking's Connection", () => {
  test('Dynamic Memory and a switch are set as the VM is created, and kept across a restart', async () => {
    const testHost = await createTestHost();
    const { host } = testHost;
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const vm = await host.createVm({
      name: 'WEB',
      noVhd: true,
      memoryStartupMB: 2048,
      dynamicMemoryEnabled: true,
      switchId: lab.id,
    });
    expect(vm.hardware?.dynamicMemoryEnabled).toBe(true);
    expect(vm.networkAdapters?.[0]).toMatchObject({ switchId: lab.id, switchName: 'Lab' });
    const again = (await testHost.restart()).getVm(vm.id);
    expect(again.hardware?.dynamicMemoryEnabled).toBe(true);
    expect(again.networkAdapters?.[0]?.switchName).toBe('Lab');
  });

  test('"Not connected" (null) leaves the adapter without a switch; absent, it is on the Default Switch', async () => {
    const { host } = await createTestHost();
    const off = await host.createVm({ name: 'A', noVhd: true, switchId: null });
    expect(off.networkAdapters?.[0]).toMatchObject({ switchId: null, switchName: null });
    const plain = await host.createVm({ name: 'B', noVhd: true });
    expect(plain.networkAdapters?.[0]?.switchName).toBe('Default Switch');
    expect(plain.hardware?.dynamicMemoryEnabled).toBe(false);
  });

  test('an unknown switch or a startup memory below the Dynamic Memory minimum creates nothing', async () => {
    const { host } = await createTestHost();
    await expect(
      host.createVm({ name: 'A', noVhd: true, switchId: '00000000-0000-0000-0000-0000000000ff' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      host.createVm({ name: 'B', noVhd: true, memoryStartupMB: 256, dynamicMemoryEnabled: true }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(host.listVms()).toEqual([]);
  });
});
