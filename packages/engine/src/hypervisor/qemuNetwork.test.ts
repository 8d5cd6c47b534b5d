import type { QmpClient, QmpEvent } from '@hvm/qemu';
import { describe, expect, it } from 'vitest';
import {
  QEMU_NETWORK_ADAPTER_PORTS,
  QemuGuestNetwork,
  addressesOfInterfaces,
  bootDeviceRecord,
  legacyNetworkOf,
  networkAdapterPortsOf,
  type WantedAdapter,
} from './qemuNetwork.js';

const a: WantedAdapter = { adapterId: 'adapter-a', macAddress: '00155D00000A', connected: true };
const b: WantedAdapter = { adapterId: 'adapter-b', macAddress: '00155D00000B', connected: false };
const c: WantedAdapter = { adapterId: 'adapter-c', macAddress: '00155D00000C', connected: true };

/** A QMP monitor that answers every command, reports device_del done at once, and records them. */
function fakeQmp(guestReleases = true) {
  const commands: { command: string; args?: Record<string, unknown> }[] = [];
  const listeners = new Set<(event: QmpEvent) => void>();
  const waiters: {
    match: (d: Record<string, unknown>) => boolean;
    resolve: (e: QmpEvent) => void;
  }[] = [];
  const send = (event: QmpEvent): void => {
    for (const w of waiters) if (w.match(event.data)) w.resolve(event);
    for (const l of listeners) l(event);
  };
  const qmp = {
    execute: (command: string, args?: Record<string, unknown>) => {
      commands.push({ command, ...(args === undefined ? {} : { args }) });
      if (command === 'device_del' && guestReleases)
        setTimeout(() => send({ event: 'DEVICE_DELETED', data: { device: args?.id } }), 1);
      return Promise.resolve({});
    },
    onEvent: (listener: (event: QmpEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForEvent: (
      _name: string,
      timeoutMs: number,
      match: (d: Record<string, unknown>) => boolean,
    ) =>
      new Promise<QmpEvent>((resolve, reject) => {
        waiters.push({ match, resolve });
        setTimeout(() => reject(new Error('DEVICE_DELETED not seen')), timeoutMs);
      }),
  };
  return { qmp: qmp as unknown as QmpClient, commands };
}

describe("a QEMU guest's network adapter devices", () => {
  it('boot with a device for every adapter, connected or not, on ports in the order the adapters were added', () => {
    const record = bootDeviceRecord([a, b]);
    expect(record).toEqual({
      networkAdapterPorts: QEMU_NETWORK_ADAPTER_PORTS,
      networkAdapters: [
        { adapterId: 'adapter-a', macAddress: '00155D00000A', port: 0 },
        { adapterId: 'adapter-b', macAddress: '00155D00000B', port: 1 },
      ],
    });
    // Every adapter a VM may have: eight synthetic and four legacy ones (Hyper-V's limits).
    expect(QEMU_NETWORK_ADAPTER_PORTS).toBe(12);
    expect(networkAdapterPortsOf(record).devices).toEqual([
      { port: 0, macAddress: '00155D00000A' },
      { port: 1, macAddress: '00155D00000B' },
    ]);
  });

  it('restore a state saved before devices were recorded onto the layout of then: the first adapter, only when connected', () => {
    expect(legacyNetworkOf([a, b])).toEqual({ macAddress: '00155D00000A' });
    expect(legacyNetworkOf([b, a])).toBeUndefined();
    expect(legacyNetworkOf([])).toBeUndefined();
  });

  it('set a Not connected adapter’s link down and a connected one’s up', async () => {
    const { qmp, commands } = fakeQmp();
    const network = new QemuGuestNetwork(qmp, bootDeviceRecord([a, b]));
    await network.setLinks([a, b]);
    // Set once: set again the same way, nothing is asked of QEMU (a Start that follows its
    // restore with the settings does not hold the guest up).
    await network.setLinks([a, b]);
    expect(commands).toEqual([
      { command: 'set_link', args: { name: 'nic0', up: true } },
      { command: 'set_link', args: { name: 'nic1', up: false } },
    ]);
  });

  it('after a restore, follow the settings: a removed adapter unplugged, a new one plugged into the free port, links set', async () => {
    const { qmp, commands } = fakeQmp();
    // Saved with a and b; now the VM has a (disconnected meanwhile) and c.
    const network = new QemuGuestNetwork(qmp, bootDeviceRecord([a, b]));
    await network.bringTo([{ ...a, connected: false }, c], 1_000);
    expect(commands.map((x) => `${x.command} ${String(x.args?.id ?? x.args?.name)}`)).toEqual([
      'device_del nic1',
      'netdev_del nic1-net',
      'netdev_add nic1-net',
      'device_add nic1',
      // The new device comes with its link up (connected): only the first adapter's is set.
      'set_link nic0',
    ]);
    expect(network.record().networkAdapters).toEqual([
      { adapterId: 'adapter-a', macAddress: '00155D00000A', port: 0 },
      { adapterId: 'adapter-c', macAddress: '00155D00000C', port: 1 },
    ]);
  });

  it('replace a device whose adapter has another MAC address now', async () => {
    const { qmp, commands } = fakeQmp();
    const network = new QemuGuestNetwork(qmp, bootDeviceRecord([a]));
    await network.bringTo([{ ...a, macAddress: '00155D0000AA' }], 1_000);
    expect(commands.map((x) => x.command)).toEqual([
      'device_del',
      'netdev_del',
      'netdev_add',
      'device_add',
    ]);
    expect(network.record().networkAdapters[0]?.macAddress).toBe('00155D0000AA');
  });

  it('report a removed adapter the guest does not let go of, and still record its device', async () => {
    const { qmp } = fakeQmp(false);
    const network = new QemuGuestNetwork(qmp, bootDeviceRecord([a, b]));
    await expect(network.bringTo([a], 20)).rejects.toThrow(/DEVICE_DELETED/);
    expect(network.record().networkAdapters.map((d) => d.adapterId)).toEqual([
      'adapter-a',
      'adapter-b',
    ]);
  });

  it("match the agent's interfaces to adapters by MAC address, IPv4 first, loopback left out", () => {
    const network = new QemuGuestNetwork(fakeQmp().qmp, bootDeviceRecord([a, c]));
    const addresses = addressesOfInterfaces(
      [
        {
          name: 'lo',
          'hardware-address': '00:00:00:00:00:00',
          'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1' }],
        },
        {
          name: 'eth0',
          'hardware-address': '00:15:5d:00:00:0a',
          'ip-addresses': [
            { 'ip-address-type': 'ipv6', 'ip-address': 'fe80::215:5dff:fe00:a' },
            { 'ip-address-type': 'ipv4', 'ip-address': '10.0.2.15' },
          ],
        },
        {
          name: 'eth1',
          'hardware-address': '00:15:5d:00:00:0c',
          'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '10.0.3.15' }],
        },
        { name: 'eth9', 'hardware-address': '52:54:00:12:34:56' },
      ],
      network.adaptersByMacAddress(),
    );
    expect(addresses.byAdapter).toEqual({
      'adapter-a': ['10.0.2.15', 'fe80::215:5dff:fe00:a'],
      'adapter-c': ['10.0.3.15'],
    });
    expect(addresses.all).toEqual(['10.0.2.15', '10.0.3.15', 'fe80::215:5dff:fe00:a']);
  });
});
