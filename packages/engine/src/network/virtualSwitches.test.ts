import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import { createTestHost } from '../testing/index.js';
import { DEFAULT_SWITCH } from './switchRegistry.js';
import { VIRTUAL_SWITCHES_PATH } from './virtualSwitches.js';

describe('Virtual switches (Virtual Switch Manager, *-VMSwitch)', () => {
  it('a new host has only the Default Switch, Internal, with the ID Windows gives it', async () => {
    const { host } = await createTestHost();
    expect(host.listVirtualSwitches()).toEqual([
      {
        id: 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444',
        name: 'Default Switch',
        switchType: 'Internal',
        notes: '',
        isDefaultSwitch: true,
        connectedAdapterCount: 0,
      },
    ]);
  });

  it('a VM is on the Default Switch until its adapter is connected elsewhere', async () => {
    const { host } = await createTestHost();
    const vm = await host.createVm({ name: 'Web-01' });
    expect(vm.networkAdapters).toMatchObject([
      {
        name: 'Network Adapter',
        isLegacy: false,
        switchId: DEFAULT_SWITCH.id,
        switchName: 'Default Switch',
        dynamicMacAddressEnabled: true,
      },
    ]);
    expect(vm.networkAdapters?.[0]?.macAddress).toMatch(/^00155D[0-9A-F]{6}$/);
    expect(host.listVirtualSwitches()[0]?.connectedAdapterCount).toBe(1);
  });

  it('creates Private and Internal switches, listed after the Default Switch by name, and keeps them over a restart', async () => {
    const test = await createTestHost();
    await test.host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    await test.host.createVirtualSwitch({
      name: 'Host only',
      switchType: 'Internal',
      notes: 'NAT',
    });
    expect(await test.store.exists(VIRTUAL_SWITCHES_PATH)).toBe(true);
    const host = await test.restart();
    expect(host.listVirtualSwitches().map((s) => [s.name, s.switchType, s.notes])).toEqual([
      ['Default Switch', 'Internal', ''],
      ['Host only', 'Internal', 'NAT'],
      ['Lab', 'Private', ''],
    ]);
  });

  it('refuses an External switch: this host has no physical network adapter to bind it to', async () => {
    const { host } = await createTestHost();
    await expect(host.createVirtualSwitch({ name: 'Wan', switchType: 'External' })).rejects.toThrow(
      'An External virtual switch needs a physical network adapter to bind to, and this host has none.',
    );
    expect(host.listVirtualSwitches()).toHaveLength(1);
  });

  it('refuses a name with an invisible character, an empty name and a second switch of the same name', async () => {
    const { host } = await createTestHost();
    await expect(
      host.createVirtualSwitch({ name: 'La\u200Bb', switchType: 'Private' }),
    ).rejects.toThrow(
      'The virtual switch name cannot contain control characters or invisible formatting characters (U+200B at position 3).',
    );
    await expect(host.createVirtualSwitch({ name: '  ', switchType: 'Private' })).rejects.toThrow(
      'The virtual switch name cannot be empty.',
    );
    await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const duplicate = host.createVirtualSwitch({ name: 'LAB', switchType: 'Internal' });
    await expect(duplicate).rejects.toThrow("A virtual switch named 'LAB' already exists.");
    await expect(
      host.createVirtualSwitch({ name: 'default switch', switchType: 'Internal' }),
    ).rejects.toThrow('already exists');
  });

  it('renames a switch and sets its notes; the VMs on it show the new name', async () => {
    const { host } = await createTestHost();
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const vm = await host.createVm({ name: 'Db-01' });
    await host.connectNetworkAdapter(vm.id, lab.id);
    const renamed = await host.updateVirtualSwitch(lab.id, { name: 'Lab 2', notes: 'isolated' });
    expect(renamed).toMatchObject({ name: 'Lab 2', notes: 'isolated', connectedAdapterCount: 1 });
    expect(host.getVm(vm.id).networkAdapters?.[0]?.switchName).toBe('Lab 2');
  });

  it('changes a switch between Private and Internal; External is refused', async () => {
    const { host } = await createTestHost();
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    expect((await host.updateVirtualSwitch(lab.id, { switchType: 'Internal' })).switchType).toBe(
      'Internal',
    );
    await expect(host.updateVirtualSwitch(lab.id, { switchType: 'External' })).rejects.toThrow(
      'needs a physical network adapter',
    );
  });

  it('the Default Switch cannot be removed, renamed or changed', async () => {
    const { host } = await createTestHost();
    await expect(host.removeVirtualSwitch(DEFAULT_SWITCH.id)).rejects.toThrow(
      "The virtual switch 'Default Switch' cannot be removed: Windows creates and manages it.",
    );
    await expect(host.updateVirtualSwitch(DEFAULT_SWITCH.id, { name: 'Mine' })).rejects.toThrow(
      'cannot be changed',
    );
  });

  it('removing a switch leaves the adapters connected to it "Not connected", over a restart too', async () => {
    const test = await createTestHost();
    const lab = await test.host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const a = await test.host.createVm({ name: 'A' });
    const b = await test.host.createVm({ name: 'B' });
    await test.host.connectNetworkAdapter(a.id, lab.id);
    const removed = await test.host.removeVirtualSwitch(lab.id);
    expect(removed.disconnectedVmIds).toEqual([a.id]);
    expect(test.host.getVm(a.id).networkAdapters?.[0]).toMatchObject({
      switchId: null,
      switchName: null,
    });
    expect(test.host.getVm(b.id).networkAdapters?.[0]?.switchName).toBe('Default Switch');
    const host = await test.restart();
    expect(host.listVirtualSwitches().map((s) => s.name)).toEqual(['Default Switch']);
    expect(host.getVm(a.id).networkAdapters?.[0]?.switchName).toBeNull();
  });

  it('a VM record that names a switch no longer there (a removal cut short) reads "Not connected"', async () => {
    const test = await createTestHost();
    const lab = await test.host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const vm = await test.host.createVm({ name: 'A' });
    await test.host.connectNetworkAdapter(vm.id, lab.id);
    // The switch list is written without it, as if the host stopped before the VM's record was.
    await test.store.writeFileAtomic(
      VIRTUAL_SWITCHES_PATH,
      new TextEncoder().encode('{"switches":[]}'),
    );
    const host = await test.restart();
    expect(host.getVm(vm.id).networkAdapters?.[0]?.switchName).toBeNull();
    expect((await host.checkHost()).ok).toBe(true);
  });

  it('a checkpoint keeps the switch and Apply brings it back (behaviour spec §1); a switch since removed reads Not connected', async () => {
    const { host } = await createTestHost();
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const vm = await host.createVm({ name: 'Web' });
    await host.connectNetworkAdapter(vm.id, lab.id);
    const onLab = await host.createCheckpoint(vm.id, { name: 'On Lab' });
    await host.disconnectNetworkAdapter(vm.id);
    await host.applyCheckpoint(vm.id, onLab.id);
    expect(host.getVm(vm.id).networkAdapters?.[0]?.switchName).toBe('Lab');
    await host.disconnectNetworkAdapter(vm.id);
    await host.removeVirtualSwitch(lab.id);
    await host.applyCheckpoint(vm.id, onLab.id);
    expect(host.getVm(vm.id).networkAdapters?.[0]?.switchName).toBeNull();
  });

  it('connects and disconnects a running VM, and refuses a switch that does not exist', async () => {
    const { host } = await createTestHost();
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Internal' });
    const vm = await host.createVm({ name: 'Web' });
    await host.changeVmState(vm.id, 'start');
    expect((await host.connectNetworkAdapter(vm.id, lab.id)).networkAdapters?.[0]?.switchName).toBe(
      'Lab',
    );
    expect((await host.disconnectNetworkAdapter(vm.id)).networkAdapters?.[0]?.switchId).toBeNull();
    const missing: unknown = await host
      .connectNetworkAdapter(vm.id, 'no-such-switch')
      .catch((e: unknown) => e);
    expect(isEngineError(missing, 'NOT_FOUND')).toBe(true);
  });

  it("the event log records switch changes with no VM, and adapter changes as the VM's settings", async () => {
    const { host } = await createTestHost();
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const vm = await host.createVm({ name: 'Web' });
    await host.connectNetworkAdapter(vm.id, lab.id);
    await host.removeVirtualSwitch(lab.id);
    await host.createVirtualSwitch({ name: 'Wan', switchType: 'External' }).catch(() => undefined);
    const { entries } = await host.queryEventLog();
    const messages = entries.map((e) => [e.vmName, e.level, e.message]);
    expect(messages).toContainEqual([
      null,
      'Information',
      "A new virtual switch 'Lab' (Private) was created.",
    ]);
    expect(messages).toContainEqual([
      'Web',
      'Information',
      `The settings of 'Web' were changed (network adapter connected to 'Lab'). (Virtual machine ID ${vm.id.toUpperCase()})`,
    ]);
    expect(messages).toContainEqual([
      null,
      'Information',
      "The virtual switch 'Lab' was removed; the network adapters of 1 virtual machine(s) are now not connected.",
    ]);
    expect(
      messages.some(
        ([vmName, level, m]) =>
          vmName === null &&
          level === 'Error' &&
          String(m).startsWith("Failed to create virtual switch 'Wan'."),
      ),
    ).toBe(true);
  });

  it('the temporary copy of a switch list write cut short by a crash is removed; the old list stays', async () => {
    const test = await createTestHost();
    await test.host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    const leftover = `.${VIRTUAL_SWITCHES_PATH}.0123456789ab.tmp`;
    await test.store.writeFileAtomic(leftover, new TextEncoder().encode('{"switc'));
    const host = await test.restart();
    expect(await test.store.exists(leftover)).toBe(false);
    expect(host.listVirtualSwitches().map((s) => s.name)).toEqual(['Default Switch', 'Lab']);
  });
});
