/**
 * The network adapters of a Saved QEMU VM (no QEMU runs): a saved state that records its devices
 * takes a change of connection, to be made when the guest is restored; one saved before devices
 * were recorded restores only onto the layout of then, so its adapters stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SWITCH } from '../network/switchRegistry.js';
import { vmConfigPath, vmSavedStatePath } from '../persistence/layout.js';
import type { QemuDeviceRecord, VmFile } from '../persistence/records.js';
import { createTestHost, type TestHost } from '../testing/index.js';
import type { VmId } from '../types.js';

async function savedQemuVm(qemuDevices: QemuDeviceRecord | undefined): Promise<{
  test: TestHost;
  vmId: VmId;
}> {
  const test = await createTestHost({ hypervisor: { kind: 'qemu', accelerator: 'tcg' } });
  const vm = await test.host.createVm({
    name: 'Saved Guest',
    memoryStartupMB: 192,
    diskSizeBytes: 64 * 1024 * 1024,
    guestImage: 'tiny-linux',
  });
  await test.host.close();
  // As a Save leaves it: QEMU's saved state beside the VM's record, which names its devices.
  const path = vmConfigPath(vm.id);
  const file = JSON.parse(new TextDecoder().decode(await test.store.readFile(path))) as VmFile;
  file.state = 'Saved';
  file.savedState = { uptimeMs: 5_000, ...(qemuDevices === undefined ? {} : { qemuDevices }) };
  await test.store.writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(file)));
  await test.store.writeFileAtomic(vmSavedStatePath(vm.id), new Uint8Array(4096));
  await test.restart({ close: false });
  return { test, vmId: vm.id };
}

describe('the network adapters of a Saved QEMU VM', () => {
  it('disconnect and connect again when the saved state records its devices', async () => {
    const { test, vmId } = await savedQemuVm({ networkAdapterPorts: 12, networkAdapters: [] });
    const { host } = test;
    expect(host.getVm(vmId).state).toBe('Saved');
    const disconnected = await host.disconnectNetworkAdapter(vmId);
    expect(disconnected.networkAdapters?.[0]?.switchId).toBeNull();
    expect(disconnected.state).toBe('Saved');
    const connected = await host.connectNetworkAdapter(vmId, DEFAULT_SWITCH.id);
    expect(connected.networkAdapters?.[0]?.switchName).toBe('Default Switch');
    // Adding one while Saved stays Hyper-V's refusal, whatever the hypervisor.
    await expect(host.addNetworkAdapter(vmId, {})).rejects.toThrow(/current state/);
    await host.close();
  });

  it('stay as they are when the saved state predates the device record', async () => {
    const { test, vmId } = await savedQemuVm(undefined);
    const { host } = test;
    await expect(host.disconnectNetworkAdapter(vmId)).rejects.toThrow(
      /saved state was taken before this host recorded the devices of saved states/,
    );
    expect(host.getVm(vmId).networkAdapters?.[0]?.switchId).not.toBeNull();
    await host.close();
  });
});
