/**
 * A QEMU VM's network adapters through the engine's Host API, on real guests (tiny-linux, TCG):
 * every adapter is a device of its own with its own MAC address and address; disconnecting and
 * connecting a running VM's adapter unplugs and plugs its cable (the guest sees the carrier
 * change); a generation 2 VM takes an adapter added and removed while it runs (Microsoft, "What's
 * new in Hyper-V on Windows Server", Windows Server 2016: hot add and remove of network adapters);
 * a Standard checkpoint taken with one set of devices restores onto them after the set changed,
 * and the restored guest is brought to the VM's settings.
 */
import { parseGuestSerialLine } from '@hvm/guest-image';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SWITCH } from '../network/switchRegistry.js';
import { requireOutsideTools } from '../testing/outsideTools.js';
import type { VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';
import {
  createGuestVm,
  eachTestInItsOwnFolder,
  requireQemuGuest,
} from './qemuTestHost.test-support.js';

const BOOT_MS = 180_000;
const on = eachTestInItsOwnFolder('hvm-qemu-network-');

function guestOf(vmId: VmId): QemuGuest {
  return requireQemuGuest(on.host, vmId);
}

/** How often the guest has printed a line matching `pattern` (on its console so far). */
function printed(guest: QemuGuest, pattern: RegExp): number {
  return guest.qemu.console.text().match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

/** Waits until the guest has printed `pattern` at least `times` times. */
async function untilPrinted(guest: QemuGuest, pattern: RegExp, times = 1): Promise<void> {
  await vi.waitFor(() => expect(printed(guest, pattern)).toBeGreaterThanOrEqual(times), {
    timeout: BOOT_MS,
    interval: 250,
  });
}

/** The boot id of the next ledger line the guest prints. */
async function nextBootId(guest: QemuGuest): Promise<string> {
  for (;;) {
    const line = await guest.qemu.console.waitForLine(/HVM-LEDGER /, BOOT_MS);
    const parsed = parseGuestSerialLine(line.slice(line.indexOf('HVM-LEDGER ')));
    if (parsed?.kind === 'ledger') return parsed.bootId;
  }
}

describe('the network adapters of a QEMU VM', { timeout: 600_000 }, () => {
  it('gives each adapter its own device and address, and unplugs and plugs its cable while the VM runs', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    const test = await on.startHost();
    const host = test.host;
    const vm = await createGuestVm(host, 'Two Adapters');
    const withSecond = await host.addNetworkAdapter(vm.id, {
      name: 'Second',
      switchId: DEFAULT_SWITCH.id,
    });
    const [first, second] = withSecond.networkAdapters ?? [];
    if (first === undefined || second === undefined) throw new Error('two adapters expected');

    await host.changeVmState(vm.id, 'start');
    const guest = guestOf(vm.id);
    // Each adapter on a user network of its own: 10.0.2.15 and 10.0.3.15.
    await untilPrinted(guest, /eth0 has the address 10\.0\.2\.15/);
    await untilPrinted(guest, /eth1 has the address 10\.0\.3\.15/);
    // Get-VMNetworkAdapter's IPAddresses: each adapter's own, matched by its MAC address.
    await vi.waitFor(
      () =>
        expect(host.getVm(vm.id).guestAdapterIpAddresses).toMatchObject({
          [first.id]: expect.arrayContaining(['10.0.2.15']) as unknown,
          [second.id]: expect.arrayContaining(['10.0.3.15']) as unknown,
        }),
      { timeout: 60_000, interval: 500 },
    );

    // Disconnect-VMNetworkAdapter on a running VM: the guest sees its cable unplugged.
    await host.disconnectNetworkAdapter(vm.id, second.id);
    await untilPrinted(guest, /eth1 carrier down/);
    expect(printed(guest, /eth0 carrier down/)).toBe(0);
    // Connect-VMNetworkAdapter: plugged in again; the guest asks for its lease again.
    const upBefore = printed(guest, /eth1 carrier up/);
    await host.connectNetworkAdapter(vm.id, DEFAULT_SWITCH.id, second.id);
    await untilPrinted(guest, /eth1 carrier up/, upBefore + 1);
    expect(guestOf(vm.id)).toBe(guest);
  });

  it('adds and removes an adapter of a running generation 2 VM, and restores a Standard checkpoint onto the devices it was taken with', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    const test = await on.startHost();
    const host = test.host;
    const vm = await createGuestVm(host, 'Hot Plug');
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    await host.changeVmState(vm.id, 'start');
    const guest = guestOf(vm.id);
    await untilPrinted(guest, /eth0 has the address 10\.0\.2\.15/);
    const bootId = await nextBootId(guest);

    // Hot add: a second device, on the next root port and user network.
    const added = await host.addNetworkAdapter(vm.id, { name: 'Hot', switchId: DEFAULT_SWITCH.id });
    const hot = added.networkAdapters?.[1];
    if (hot === undefined) throw new Error('the added adapter is missing');
    await untilPrinted(guest, /eth1 has the address 10\.0\.3\.15/);

    // A Standard checkpoint with two devices.
    const two = await host.createCheckpoint(vm.id, { name: 'Two devices' });
    expect(two.kind).toBe('Standard');

    // Hot remove: the guest lets go of the device.
    await host.removeNetworkAdapter(vm.id, hot.id);
    await untilPrinted(guest, /eth1 removed/);
    expect(host.getVm(vm.id).networkAdapters).toHaveLength(1);

    // Applying the checkpoint brings back its two adapters and its saved state with two devices;
    // a change while Saved (the second adapter disconnected) is made when the guest is restored.
    await host.applyCheckpoint(vm.id, two.id);
    expect(host.getVm(vm.id).state).toBe('Saved');
    const restoredAdapters = host.getVm(vm.id).networkAdapters ?? [];
    expect(restoredAdapters.map((a) => a.id)).toEqual([expect.any(String) as unknown, hot.id]);
    await host.disconnectNetworkAdapter(vm.id, hot.id);
    await host.changeVmState(vm.id, 'start');
    const restored = guestOf(vm.id);
    // The same boot goes on, and sees the second adapter's cable unplugged.
    expect(await nextBootId(restored)).toBe(bootId);
    await untilPrinted(restored, /eth1 carrier down/);
  });

  it('refuses to add or remove an adapter of a running generation 1 VM, as Hyper-V does', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    const test = await on.startHost();
    const host = test.host;
    const vm = await host.createVm({
      name: 'Generation 1',
      generation: 1,
      memoryStartupMB: 192,
      diskSizeBytes: 64 * 1024 * 1024,
      guestImage: 'tiny-linux',
    });
    await host.changeVmState(vm.id, 'start');
    // Hyper-V: "The operation cannot be performed while the virtual machine is in its current state."
    await expect(host.addNetworkAdapter(vm.id, { switchId: DEFAULT_SWITCH.id })).rejects.toThrow(
      /current state/,
    );
    const adapter = host.getVm(vm.id).networkAdapters?.[0];
    if (adapter === undefined) throw new Error('the VM has no adapter');
    await expect(host.removeNetworkAdapter(vm.id, adapter.id)).rejects.toThrow(/current state/);
  });
});
