/**
 * The network adapters of a VM whose guest QEMU runs: every adapter is a virtio-net device with
 * its own MAC address on a PCI Express root port of its own (`@hvm/qemu`'s networkAdapters.ts).
 * An adapter that is Not connected keeps its device with the link down, as a guest under Hyper-V
 * sees a NIC whose cable is unplugged; connecting or disconnecting a running VM's adapter sets the
 * link at once. Hyper-V changes a running VM's adapter connection in any state (Microsoft, "What's
 * new in Hyper-V on Windows Server", Windows Server 2016; vm/networkAdapters.ts), and adds or
 * removes a generation 2 VM's adapter while it runs: here QMP `device_add` and `device_del`.
 *
 * A saved state restores only onto the devices it was saved with: each saved state (the VM's
 * Saved state, each Standard checkpoint's `.vmrs`) records them (`QemuDeviceRecord`, in the JSON
 * that commits the state). A restore starts QEMU with the recorded devices and then brings them to
 * the VM's settings now. A state saved before the record existed restores onto the layout of that
 * time: the first adapter only, when connected, on the root bus (`legacyNetworkOf`).
 */
import {
  NetworkAdapterDevices,
  type GuestNetwork,
  type NetworkAdapterPorts,
  type QgaClient,
  type QmpClient,
} from '@hvm/qemu';
import type { QemuDeviceRecord } from '../persistence/records.js';
import { MAX_LEGACY_NETWORK_ADAPTERS, MAX_NETWORK_ADAPTERS } from '../vm/vmDevices.js';

/** A root port for every adapter a VM may have: synthetic and legacy (vm/vmDevices.ts). */
export const QEMU_NETWORK_ADAPTER_PORTS = MAX_NETWORK_ADAPTERS + MAX_LEGACY_NETWORK_ADAPTERS;

/**
 * How long a guest has to let go of an adapter that is removed (QMP `device_del` needs the guest's
 * operating system to release the device). Generous: a guest under TCG on a loaded host is slow.
 */
export const NETWORK_ADAPTER_UNPLUG_TIMEOUT_MS = 60_000;

/** An adapter as the guest should have it: its device's MAC address, and its link up or down. */
export interface WantedAdapter {
  adapterId: string;
  macAddress: string;
  connected: boolean;
}

/** The devices of a guest that boots: every adapter, on the ports in the order they were added. */
export function bootDeviceRecord(wanted: readonly WantedAdapter[]): QemuDeviceRecord {
  return {
    networkAdapterPorts: QEMU_NETWORK_ADAPTER_PORTS,
    networkAdapters: wanted.map((adapter, port) => ({
      adapterId: adapter.adapterId,
      macAddress: adapter.macAddress,
      port,
    })),
  };
}

/** The layout QEMU starts with for a record. */
export function networkAdapterPortsOf(record: QemuDeviceRecord): NetworkAdapterPorts {
  return {
    ports: record.networkAdapterPorts,
    devices: record.networkAdapters.map(({ port, macAddress }) => ({ port, macAddress })),
  };
}

/**
 * The layout of a state saved before devices were recorded: the VM's first adapter when it is
 * connected (then, changes of a VM that was not Off were refused, so its settings still match).
 */
export function legacyNetworkOf(wanted: readonly WantedAdapter[]): GuestNetwork | undefined {
  const first = wanted[0];
  return first?.connected === true ? { macAddress: first.macAddress } : undefined;
}

/** What bringing a guest's adapters to the settings did not manage. */
export interface NetworkChangeFailure {
  adapterId: string;
  error: unknown;
}

/** The network adapters of a running or paused QEMU guest, by the VM's adapter IDs. */
export class QemuGuestNetwork {
  private readonly devices: NetworkAdapterDevices;
  /** The adapter each port's device belongs to (kept after an unplug that gave up, until QEMU reports it gone). */
  private readonly adapterOfPort = new Map<number, string>();
  /** The links this object has set, by port (a restored device's is the saved state's until set). */
  private readonly linkUp = new Map<number, boolean>();

  constructor(qmp: QmpClient, record: QemuDeviceRecord) {
    this.devices = new NetworkAdapterDevices(
      qmp,
      record.networkAdapterPorts,
      networkAdapterPortsOf(record).devices,
    );
    for (const device of record.networkAdapters)
      this.adapterOfPort.set(device.port, device.adapterId);
  }

  /** The devices QEMU has now: what a state saved now is saved with. */
  record(): QemuDeviceRecord {
    return {
      networkAdapterPorts: this.devices.ports,
      networkAdapters: this.devices.devices.map((device) => ({
        adapterId: this.adapterOfPort.get(device.port) ?? '',
        macAddress: device.macAddress,
        port: device.port,
      })),
    };
  }

  /**
   * Sets each wanted adapter's link (connected or not); adapters without a device are left, and a
   * link already set that way by this object is not set again.
   */
  async setLinks(wanted: readonly WantedAdapter[]): Promise<void> {
    for (const adapter of wanted) {
      const device = this.deviceOf(adapter);
      if (device === null || this.linkUp.get(device.port) === adapter.connected) continue;
      await this.devices.setLink(device.port, adapter.connected);
      this.linkUp.set(device.port, adapter.connected);
    }
  }

  /**
   * Brings the devices to `wanted`: a device whose adapter is gone (or has another MAC address) is
   * unplugged, waiting up to `unplugTimeoutMs` for the guest to let it go; an adapter without a
   * device gets one; every link is set. Throws the first failure after trying everything.
   */
  async bringTo(wanted: readonly WantedAdapter[], unplugTimeoutMs: number): Promise<void> {
    const failures: NetworkChangeFailure[] = [];
    const keep = new Set(wanted.flatMap((a) => this.deviceOf(a)?.port ?? []));
    for (const device of this.devices.devices) {
      if (keep.has(device.port)) continue;
      const adapterId = this.adapterOfPort.get(device.port) ?? '';
      await this.devices.unplug(device.port, unplugTimeoutMs).then(
        () => this.forget(device.port),
        (error: unknown) => failures.push({ adapterId, error }),
      );
    }
    for (const adapter of wanted) {
      if (this.deviceOf(adapter) !== null) continue;
      await this.plug(adapter).catch((error: unknown) =>
        failures.push({ adapterId: adapter.adapterId, error }),
      );
    }
    await this.setLinks(wanted);
    if (failures[0] !== undefined) throw failures[0].error;
  }

  /** Plugs in the adapter's device on the lowest free port, its link as the adapter is connected. */
  async plug(adapter: WantedAdapter): Promise<void> {
    const port = this.devices.freePort();
    if (port === null) throw new Error('every network adapter port of the guest is in use');
    await this.devices.plug({ port, macAddress: adapter.macAddress }, adapter.connected);
    this.adapterOfPort.set(port, adapter.adapterId);
    this.linkUp.set(port, adapter.connected);
  }

  /** Unplugs the adapter's device (see `NetworkAdapterDevices.unplug`); nothing when it has none. */
  async unplug(adapterId: string, timeoutMs: number): Promise<void> {
    for (const device of this.devices.devices) {
      if (this.adapterOfPort.get(device.port) !== adapterId) continue;
      await this.devices.unplug(device.port, timeoutMs);
      this.forget(device.port);
    }
  }

  /** The adapter IDs by the MAC address (lower case, no separators) of their devices. */
  adaptersByMacAddress(): Map<string, string> {
    const byMac = new Map<string, string>();
    for (const device of this.devices.devices) {
      const adapterId = this.adapterOfPort.get(device.port);
      if (adapterId !== undefined) byMac.set(macKey(device.macAddress), adapterId);
    }
    return byMac;
  }

  private forget(port: number): void {
    this.adapterOfPort.delete(port);
    this.linkUp.delete(port);
  }

  private deviceOf(adapter: WantedAdapter): { port: number } | null {
    for (const device of this.devices.devices)
      if (
        this.adapterOfPort.get(device.port) === adapter.adapterId &&
        macKey(device.macAddress) === macKey(adapter.macAddress)
      )
        return device;
    return null;
  }
}

/** A MAC address as the adapters are matched by: lower case, no separators. */
export function macKey(macAddress: string): string {
  return macAddress.replaceAll(/[-:]/g, '').toLowerCase();
}

/** One interface as qemu-ga's guest-network-get-interfaces reports it. */
interface GuestInterface {
  name: string;
  'hardware-address'?: string;
  'ip-addresses'?: { 'ip-address-type': string; 'ip-address': string }[];
}

/** The addresses a guest reports: all of them, and those of each adapter by its ID. */
export interface GuestAddresses {
  /** Every address but loopback's, IPv4 first (Wait-VM -For IPAddress). */
  all: string[];
  /** Each adapter's, matched by its device's MAC address (Get-VMNetworkAdapter's IPAddresses). */
  byAdapter: Record<string, string[]>;
}

/**
 * The guest's addresses from its agent (qemu-ga's guest-network-get-interfaces, which gives each
 * interface's hardware address), IPv4 before IPv6 as Key-Value Pair Exchange's NetworkAddressIPv4
 * and NetworkAddressIPv6 (Msvm_KvpExchangeDataItem) list them. Empty when the agent does not answer.
 */
export async function guestAddressesOf(
  agent: QgaClient | undefined,
  adapterOfMac: ReadonlyMap<string, string>,
  timeoutMs: number,
): Promise<GuestAddresses> {
  const none: GuestAddresses = { all: [], byAdapter: {} };
  if (agent === undefined) return none;
  const interfaces = await agent
    .execute<GuestInterface[]>('guest-network-get-interfaces', undefined, { timeoutMs })
    .catch(() => undefined);
  if (interfaces === undefined) return none;
  return addressesOfInterfaces(interfaces, adapterOfMac);
}

/** See `guestAddressesOf`. */
export function addressesOfInterfaces(
  interfaces: readonly GuestInterface[],
  adapterOfMac: ReadonlyMap<string, string>,
): GuestAddresses {
  const ordered = (list: GuestInterface['ip-addresses']): string[] => {
    const addresses = list ?? [];
    return ['ipv4', 'ipv6'].flatMap((type) =>
      addresses.filter((a) => a['ip-address-type'] === type).map((a) => a['ip-address']),
    );
  };
  const result: GuestAddresses = { all: [], byAdapter: {} };
  const real = interfaces.filter((i) => i.name !== 'lo');
  for (const type of ['ipv4', 'ipv6'])
    for (const i of real)
      for (const a of i['ip-addresses'] ?? [])
        if (a['ip-address-type'] === type) result.all.push(a['ip-address']);
  for (const i of real) {
    const adapterId = adapterOfMac.get(macKey(i['hardware-address'] ?? ''));
    if (adapterId === undefined) continue;
    result.byAdapter[adapterId] = [
      ...(result.byAdapter[adapterId] ?? []),
      ...ordered(i['ip-addresses']),
    ];
  }
  return result;
}
