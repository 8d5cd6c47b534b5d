/**
 * A VM's network adapters as QEMU devices: each one a virtio-net-pci device on a PCI Express root
 * port of its own, on its own restricted user-mode network. The root ports are always there, one
 * per adapter the VM may have, so an adapter can be plugged in while the guest runs (q35's root
 * bus takes no hot-plugged device) and keeps the same PCI address however the others change.
 *
 * Not connected is the device with its link down (QMP `set_link`), as a guest under Hyper-V sees
 * a NIC with its cable unplugged. A saved state restores only onto the same devices: the devices
 * a machine runs with (`devices`) are what a saved state records.
 */
import { qemuMacAddress } from './macAddress.js';
import type { QmpClient } from './qmp.js';

/** One network adapter's device: the root port it sits on and its MAC address. */
export interface NetworkAdapterDevice {
  /** The root port's number, from 0: the device's PCI address (and its user network's subnet). */
  port: number;
  /** Twelve hexadecimal digits, with or without `-`/`:` separators (Hyper-V writes 00155D...). */
  macAddress: string;
}

/** The root ports for network adapters and the devices on them when QEMU starts. */
export interface NetworkAdapterPorts {
  /** How many root ports there are (at most 16). */
  ports: number;
  devices: NetworkAdapterDevice[];
}

/** The most root ports for network adapters (their PCI slots are 0x10 to 0x1f minus the LPC's). */
export const MAX_NETWORK_ADAPTER_PORTS = 15;

/** The first PCI slot on the root bus of the network adapters' root ports. */
const FIRST_PORT_SLOT = 0x10;

/** QEMU's IDs of a port's root port, device and network back end. */
export function networkAdapterIds(port: number): {
  rootPort: string;
  device: string;
  netdev: string;
} {
  return { rootPort: `nic-port${port}`, device: `nic${port}`, netdev: `nic${port}-net` };
}

function checkPort(port: number, ports: number): void {
  if (!Number.isInteger(port) || port < 0 || port >= ports)
    throw new Error(`network adapter port ${port} (the VM has ${ports})`);
}

/**
 * The user-mode network of the adapter on `port`, restricted as QEMU 7.2's -netdev user documents
 * it: "restrict=on|off: If this option is enabled, the guest will be isolated, i.e. it will not be
 * able to contact the host and no guest IP packets will be routed over the host to the outside"
 * (qemu-options.hx); its DHCP server still answers. Each port has its own subnet, 10.0.(2+port).0/24
 * (port 0 is QEMU's default 10.0.2.0/24), so the guest's adapters get addresses of their own
 * (10.0.2.15, 10.0.3.15, ...).
 */
export function networkBackendOptions(port: number): {
  type: 'user';
  id: string;
  net: string;
  restrict: boolean;
} {
  return {
    type: 'user',
    id: networkAdapterIds(port).netdev,
    net: `10.0.${2 + port}.0/24`,
    restrict: true,
  };
}

/** The virtio-net-pci device of an adapter, as `-device` (JSON) and QMP `device_add` take it. */
export function networkDeviceOptions(device: NetworkAdapterDevice): Record<string, string> {
  const ids = networkAdapterIds(device.port);
  return {
    driver: 'virtio-net-pci',
    id: ids.device,
    netdev: ids.netdev,
    mac: qemuMacAddress(device.macAddress),
    bus: ids.rootPort,
    addr: '0x0',
  };
}

/** The command-line options of the root ports and the devices on them. */
export function networkAdapterArguments(layout: NetworkAdapterPorts): string[] {
  if (
    !Number.isInteger(layout.ports) ||
    layout.ports < 0 ||
    layout.ports > MAX_NETWORK_ADAPTER_PORTS
  )
    throw new Error(`${layout.ports} network adapter ports`);
  const args: string[] = [];
  for (let port = 0; port < layout.ports; port += 1) {
    const slot = FIRST_PORT_SLOT + port;
    args.push(
      '-device',
      JSON.stringify({
        driver: 'pcie-root-port',
        id: networkAdapterIds(port).rootPort,
        bus: 'pcie.0',
        addr: `0x${slot.toString(16)}`,
        chassis: port + 1,
      }),
    );
  }
  const used = new Set<number>();
  for (const device of layout.devices) {
    checkPort(device.port, layout.ports);
    if (used.has(device.port)) throw new Error(`two network adapters on port ${device.port}`);
    used.add(device.port);
    const backend = networkBackendOptions(device.port);
    args.push(
      '-netdev',
      `user,id=${backend.id},net=${backend.net},restrict=on`,
      '-device',
      JSON.stringify(networkDeviceOptions(device)),
    );
  }
  return args;
}

/**
 * The network adapter devices of a running (or paused) machine, changed over QMP: a link set up or
 * down, a device plugged in or unplugged. `devices` is what QEMU has at every moment: a device
 * leaves it when QEMU reports it gone (DEVICE_DELETED), even after a wait that gave up.
 */
export class NetworkAdapterDevices {
  private readonly present = new Map<number, NetworkAdapterDevice>();

  constructor(
    private readonly qmp: QmpClient,
    readonly ports: number,
    devices: readonly NetworkAdapterDevice[],
  ) {
    for (const device of devices) this.present.set(device.port, { ...device });
    qmp.onEvent((event) => {
      if (event.event !== 'DEVICE_DELETED') return;
      const port = this.portOfDevice(event.data.device);
      if (port === null) return;
      this.present.delete(port);
      void this.qmp
        .execute('netdev_del', { id: networkAdapterIds(port).netdev })
        .catch(() => undefined);
    });
  }

  /** The devices QEMU has now, by port. */
  get devices(): NetworkAdapterDevice[] {
    return [...this.present.values()].sort((a, b) => a.port - b.port).map((d) => ({ ...d }));
  }

  /** The lowest port without a device, or null when every port has one. */
  freePort(): number | null {
    for (let port = 0; port < this.ports; port += 1) if (!this.present.has(port)) return port;
    return null;
  }

  /** Sets the link of the device on `port` up (connected) or down (cable unplugged). */
  async setLink(port: number, up: boolean): Promise<void> {
    await this.qmp.execute('set_link', { name: networkAdapterIds(port).device, up });
  }

  /** Plugs a device into its free port, on a new user network of its own; its link is `up`. */
  async plug(device: NetworkAdapterDevice, up: boolean): Promise<void> {
    checkPort(device.port, this.ports);
    if (this.present.has(device.port)) throw new Error(`port ${device.port} has a network adapter`);
    const options = networkDeviceOptions(device);
    await this.qmp.execute('netdev_add', networkBackendOptions(device.port));
    try {
      await this.qmp.execute('device_add', options);
    } catch (error) {
      await this.qmp
        .execute('netdev_del', { id: networkAdapterIds(device.port).netdev })
        .catch(() => undefined);
      throw error;
    }
    this.present.set(device.port, { ...device });
    if (!up) await this.setLink(device.port, false);
  }

  /**
   * Asks the guest to let go of the device on `port` (QMP `device_del`: the guest's operating
   * system must release it) and waits up to `timeoutMs` for QEMU to report it gone. When the guest
   * does not, this fails and the device stays until the guest lets it go.
   */
  async unplug(port: number, timeoutMs: number): Promise<void> {
    if (!this.present.has(port)) return;
    const id = networkAdapterIds(port).device;
    const deleted = this.qmp.waitForEvent(
      'DEVICE_DELETED',
      timeoutMs,
      (data) => data.device === id,
    );
    deleted.catch(() => undefined);
    try {
      await this.qmp.execute('device_del', { id });
    } catch (error) {
      // Asked before and still pending: QEMU refuses a second request; the wait goes on.
      if (
        !(error instanceof Error) ||
        !/process of unplug|pending|in progress/i.test(error.message)
      )
        throw error;
    }
    await deleted;
    this.present.delete(port);
  }

  private portOfDevice(device: unknown): number | null {
    if (typeof device !== 'string') return null;
    const match = /^nic(\d+)$/.exec(device);
    return match === null ? null : Number(match[1]);
  }
}
