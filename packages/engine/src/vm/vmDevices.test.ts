import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { DEFAULT_SWITCH } from '../network/switchRegistry.js';

const MB = 1024 * 1024;
const decode = (bytes: Uint8Array): Record<string, unknown> =>
  JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

describe('network adapters (Add-, Remove-, Rename-VMNetworkAdapter)', () => {
  it('adds a second "Network Adapter", Not connected unless a switch is named, with its own ID and dynamic MAC, kept over a restart', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host);
    const lab = await test.host.createVirtualSwitch({ name: 'Lab', switchType: 'Private' });
    await test.host.addNetworkAdapter(vm.id, {});
    const added = await test.host.addNetworkAdapter(vm.id, { name: 'Backend', switchId: lab.id });
    const adapters = added.networkAdapters ?? [];
    expect(adapters.map((a) => [a.name, a.isLegacy, a.switchName])).toEqual([
      ['Network Adapter', false, 'Default Switch'],
      ['Network Adapter', false, null],
      ['Backend', false, 'Lab'],
    ]);
    expect(new Set(adapters.map((a) => a.id)).size).toBe(3);
    expect(new Set(adapters.map((a) => a.macAddress)).size).toBe(3);
    for (const a of adapters) expect(a.macAddress).toMatch(/^00155D[0-9A-F]{6}$/);
    expect(
      test.host.listVirtualSwitches().find((s) => s.id === lab.id)?.connectedAdapterCount,
    ).toBe(1);
    const again = await test.restart();
    expect(again.getVm(vm.id).networkAdapters).toEqual(adapters);
  });

  it('keeps a static MAC address, refuses a multicast or malformed one', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const added = await host.addNetworkAdapter(vm.id, { staticMacAddress: '00-15-5d-01-02-03' });
    expect(added.networkAdapters?.[1]).toMatchObject({
      macAddress: '00155D010203',
      dynamicMacAddressEnabled: false,
    });
    await expect(
      host.addNetworkAdapter(vm.id, { staticMacAddress: '01005E000001' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(host.addNetworkAdapter(vm.id, { staticMacAddress: 'nope' })).rejects.toMatchObject(
      { code: 'INVALID_ARGUMENT' },
    );
  });

  it('holds 8 synthetic adapters; legacy adapters only on generation 1, at most 4', async () => {
    const { host } = await createTestHost();
    const gen2 = await buildVm(host);
    for (let i = 1; i < 8; i += 1) await host.addNetworkAdapter(gen2.id, {});
    await expect(host.addNetworkAdapter(gen2.id, {})).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    await expect(host.addNetworkAdapter(gen2.id, { isLegacy: true })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const gen1 = await buildVm(host, { generation: 1 });
    for (let i = 0; i < 4; i += 1) await host.addNetworkAdapter(gen1.id, { isLegacy: true });
    await expect(host.addNetworkAdapter(gen1.id, { isLegacy: true })).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    const legacy = host.getVm(gen1.id).networkAdapters?.filter((a) => a.isLegacy) ?? [];
    expect(legacy.map((a) => a.name)).toEqual(Array(4).fill('Legacy Network Adapter'));
  });

  it('a running generation 2 VM takes a synthetic adapter hot; generation 1 and a Saved VM do not', async () => {
    const { host } = await createTestHost();
    const gen2 = await buildVm(host, { state: 'Running' });
    const added = await host.addNetworkAdapter(gen2.id, {});
    const second = added.networkAdapters?.[1]?.id ?? '';
    expect((await host.removeNetworkAdapter(gen2.id, second)).networkAdapters).toHaveLength(1);
    const gen1 = await buildVm(host, { generation: 1, state: 'Running' });
    await expect(host.addNetworkAdapter(gen1.id, {})).rejects.toThrow(
      'The operation cannot be performed while the virtual machine is in its current state.',
    );
    const saved = await buildVm(host, { state: 'Saved' });
    await expect(host.addNetworkAdapter(saved.id, {})).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('renames and removes an adapter by its ID (names may repeat), refuses control characters, and logs each change', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const added = await host.addNetworkAdapter(vm.id, {});
    const id = added.networkAdapters?.[1]?.id ?? '';
    const renamed = await host.renameNetworkAdapter(vm.id, id, 'Storage');
    expect(renamed.networkAdapters?.map((a) => a.name)).toEqual(['Network Adapter', 'Storage']);
    await expect(host.renameNetworkAdapter(vm.id, id, 'Bad\u0007name')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const removed = await host.removeNetworkAdapter(vm.id, id);
    expect(removed.networkAdapters?.map((a) => a.name)).toEqual(['Network Adapter']);
    await expect(host.removeNetworkAdapter(vm.id, id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const log = await host.queryEventLog({ limit: 10 });
    const messages = log.entries.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringContaining("network adapter 'Network Adapter' added"),
    );
    expect(messages).toContainEqual(
      expect.stringContaining("network adapter renamed to 'Storage'"),
    );
    expect(messages).toContainEqual(expect.stringContaining('network adapter removed'));
  });

  it('connects one adapter by its ID and leaves the other where it was', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const lab = await host.createVirtualSwitch({ name: 'Lab', switchType: 'Internal' });
    const id = (await host.addNetworkAdapter(vm.id, {})).networkAdapters?.[1]?.id ?? '';
    const connected = await host.connectNetworkAdapter(vm.id, lab.id, id);
    expect(connected.networkAdapters?.map((a) => a.switchId)).toEqual([DEFAULT_SWITCH.id, lab.id]);
    const removed = await host.removeVirtualSwitch(lab.id);
    expect(removed.disconnectedVmIds).toEqual([vm.id]);
    expect(host.getVm(vm.id).networkAdapters?.map((a) => a.switchId)).toEqual([
      DEFAULT_SWITCH.id,
      null,
    ]);
  });
});

describe('SCSI controllers (Add-, Remove-VMScsiController)', () => {
  it('a generation 2 VM has one; an added one takes drives by its number; at most 4', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host);
    expect(vm.scsiControllers).toEqual([{ controllerNumber: 0 }]);
    await expect(
      test.host.addHardDiskDrive(vm.id, { path: 'x.vhdx', controllerNumber: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const added = await test.host.addScsiController(vm.id);
    expect(added.scsiControllers).toEqual([{ controllerNumber: 0 }, { controllerNumber: 1 }]);
    await test.host.createVirtualHardDisk({ path: 'data.vhdx', sizeBytes: 8 * MB });
    const attached = await test.host.addHardDiskDrive(vm.id, {
      path: 'data.vhdx',
      controllerType: 'SCSI',
      controllerNumber: 1,
      controllerLocation: 0,
    });
    expect(attached.hardDrives.map((d) => d.controllerLocation)).toEqual(['SCSI 0:0', 'SCSI 1:0']);
    await test.host.addScsiController(vm.id);
    await test.host.addScsiController(vm.id);
    await expect(test.host.addScsiController(vm.id)).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    const again = await test.restart();
    expect(again.getVm(vm.id).scsiControllers).toHaveLength(4);
  });

  it('removes an empty controller only, while Off; later controllers and their drives move down', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.addScsiController(vm.id);
    await host.addScsiController(vm.id);
    await host.createVirtualHardDisk({ path: 'data.vhdx', sizeBytes: 8 * MB });
    await host.addHardDiskDrive(vm.id, { path: 'data.vhdx', controllerNumber: 2 });
    await expect(host.removeScsiController(vm.id, 2)).rejects.toThrow('still has drives attached');
    const removed = await host.removeScsiController(vm.id, 1);
    expect(removed.scsiControllers).toHaveLength(2);
    expect(removed.hardDrives.map((d) => d.controllerLocation)).toEqual(['SCSI 0:0', 'SCSI 1:0']);
    await expect(host.removeScsiController(vm.id, 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await host.changeVmState(vm.id, 'start');
    await expect(host.addScsiController(vm.id)).rejects.toThrow(
      'The operation cannot be performed while the virtual machine is in its current state.',
    );
  });

  it('a generation 1 VM starts with one empty SCSI controller beside its IDE controllers', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { generation: 1 });
    expect(vm.scsiControllers).toEqual([{ controllerNumber: 0 }]);
    expect(vm.hardDrives.map((d) => d.controllerLocation)).toEqual(['IDE 0:0']);
    await host.createVirtualHardDisk({ path: 'g1.vhdx', sizeBytes: 8 * MB });
    const attached = await host.addHardDiskDrive(vm.id, {
      path: 'g1.vhdx',
      controllerType: 'SCSI',
    });
    expect(attached.hardDrives.at(-1)?.controllerLocation).toBe('SCSI 0:0');
    expect((await host.addScsiController(vm.id)).scsiControllers).toHaveLength(2);
  });
});

describe('devices and checkpoints, older files', () => {
  it('a checkpoint keeps the adapters and controllers; its Settings show them; Apply brings them back', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'one adapter' });
    await host.addNetworkAdapter(vm.id, { name: 'Second' });
    await host.addScsiController(vm.id);
    const settings = host.getCheckpoint(vm.id, checkpoint.id).settings;
    expect(settings?.networkAdapters.map((a) => a.name)).toEqual(['Network Adapter']);
    expect(settings?.scsiControllers).toHaveLength(1);
    const applied = await host.applyCheckpoint(vm.id, checkpoint.id);
    expect(applied).toBeDefined();
    const now = host.getVm(vm.id);
    expect(now.networkAdapters?.map((a) => a.name)).toEqual(['Network Adapter']);
    expect(now.scsiControllers).toHaveLength(1);
  });

  it('an older configuration file loads with one adapter on its switch and controllers from its drives; a change writes the list', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host);
    const path = `Virtual Machines/${vm.id}.json`;
    const file = decode(await test.store.readFile(path));
    const configuration = file.configuration as Record<string, unknown>;
    delete configuration.networkAdapters;
    delete configuration.scsiControllerCount;
    configuration.networkSwitchId = null;
    await test.store.writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(file)));
    const host = await test.restart();
    const loaded = host.getVm(vm.id);
    expect(loaded.networkAdapters).toMatchObject([
      { id: vm.id, name: 'Network Adapter', switchId: null },
    ]);
    expect(loaded.scsiControllers).toEqual([{ controllerNumber: 0 }]);
    await host.addNetworkAdapter(vm.id, {});
    const written = decode(await test.store.readFile(path)).configuration as Record<
      string,
      unknown
    >;
    expect(written.networkSwitchId).toBeUndefined();
    expect(written.networkAdapters).toHaveLength(2);
  });
});
