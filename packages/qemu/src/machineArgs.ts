/**
 * The command line of one virtual machine. A saved state can only be restored into a machine with
 * the same devices, so the line depends on the configuration alone (plus the sockets of this run
 * and, to restore, the state file).
 */
import { qemuMacAddress } from './macAddress.js';
import { networkAdapterArguments, type NetworkAdapterPorts } from './networkAdapters.js';

export { qemuMacAddress } from './macAddress.js';
export type Accelerator = 'kvm' | 'tcg';

export interface QemuMachineConfig {
  /** The VM's name, shown by QEMU (`-name`); control characters are refused. */
  name: string;
  memoryMiB: number;
  processorCount: number;
  accelerator: Accelerator;
  /** Boots this kernel directly; without it the firmware runs and finds nothing to boot. */
  kernel?: { kernel: string; initrd?: string; cmdline?: string };
  /**
   * The first virtio-blk disk: the VM's disk served over NBD on a Unix socket, or a raw file that
   * QEMU opens itself (the peer the benchmarks measure the NBD + VHDX path against).
   */
  disk?: NbdDisk | RawFileDisk;
  /**
   * Every network adapter of the VM, each a virtio-net device on a PCI Express root port of its
   * own (networkAdapters.ts). Not with `network`.
   */
  networkAdapters?: NetworkAdapterPorts;
  /**
   * The layout of states saved before each adapter had its own device (they restore only onto
   * it): the VM's first network adapter, when it is connected, a virtio-net device with the adapter's
   * MAC address on QEMU's user-mode network, restricted (`restrict=on`: the guest reaches neither
   * the host nor any other network; it gets its address, 10.0.2.15, from the network's own DHCP).
   * Absent: no network device, as a Hyper-V adapter that is Not connected has no network.
   */
  network?: GuestNetwork;
  /** Adds the virtio-serial port `org.qemu.guest_agent.0` for the guest agent. */
  guestAgent: boolean;
  /** `-sandbox on` (QEMU's seccomp filter; default true). `QemuMachine` leaves it out when the QEMU binary lacks it. */
  sandbox?: boolean;
}

/**
 * A disk served over NBD (how the VM's VHDX chain reaches QEMU): on a Unix socket QEMU connects
 * to, or on a connection the host made itself (`@hvm/nbd`'s socket pair), whose client end QEMU
 * inherits as a descriptor.
 */
export type NbdDisk = NbdSocketDisk | NbdConnectedDisk;

export interface NbdSocketDisk {
  socketPath: string;
  exportName: string;
}

export interface NbdConnectedDisk {
  /** The client end in the host's process; `QemuMachine.launch` hands it to QEMU. */
  descriptor: number;
  exportName: string;
}

/**
 * The descriptor number QEMU holds a connected disk's end as: the first after standard input,
 * output and error (`QemuMachine.launch` puts it there through `spawn`'s `stdio`).
 */
export const INHERITED_DISK_DESCRIPTOR = 3;

/** The network device of a VM: the MAC address of its first network adapter. */
export interface GuestNetwork {
  /** Twelve hexadecimal digits, with or without `-`/`:` separators (Hyper-V writes 00155D...). */
  macAddress: string;
}

/** A raw image file QEMU opens with its own `file` driver, through the host's page cache. */
export interface RawFileDisk {
  rawFile: string;
}

export interface RunSockets {
  /** QEMU connects here with its QMP monitor. */
  qmp: string;
  /** QEMU connects the guest agent's port here. */
  guestAgent: string;
}

/** Quotes for `sh -c`, which QEMU's `exec:` migration URIs go through. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** QEMU's option syntax doubles a comma inside a value. */
function optionValue(text: string): string {
  return text.replaceAll(',', ',,');
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]/;

export function qemuArguments(
  config: QemuMachineConfig,
  sockets: RunSockets,
  incomingStateFile?: string,
): string[] {
  if (CONTROL.test(config.name)) throw new Error('a VM name with control characters');
  if (!Number.isInteger(config.memoryMiB) || config.memoryMiB < 16)
    throw new Error(`memory of ${config.memoryMiB} MiB`);
  if (!Number.isInteger(config.processorCount) || config.processorCount < 1)
    throw new Error(`${config.processorCount} virtual processors`);
  const args = [
    '-name',
    optionValue(config.name),
    '-machine',
    `q35,accel=${config.accelerator}`,
    '-cpu',
    config.accelerator === 'kvm' ? 'host' : 'max',
    '-m',
    String(config.memoryMiB),
    '-smp',
    String(config.processorCount),
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    // Always start stopped: the host connects everything before the first instruction runs.
    '-S',
    '-msg',
    'timestamp=off',
    '-chardev',
    `socket,id=qmp,path=${optionValue(sockets.qmp)}`,
    '-mon',
    'chardev=qmp,mode=control',
    '-chardev',
    'stdio,id=console,signal=off',
    '-serial',
    'chardev:console',
  ];
  if (config.sandbox ?? true) args.push('-sandbox', 'on');
  if (config.kernel !== undefined) {
    args.push('-kernel', config.kernel.kernel);
    if (config.kernel.initrd !== undefined) args.push('-initrd', config.kernel.initrd);
    const cmdline = kernelCommandLine(config.kernel.cmdline, config.accelerator);
    if (cmdline !== undefined) args.push('-append', cmdline);
  }
  if (config.disk !== undefined) {
    const blockdev =
      'rawFile' in config.disk
        ? {
            driver: 'raw',
            'node-name': 'disk0',
            file: { driver: 'file', filename: config.disk.rawFile },
          }
        : {
            driver: 'nbd',
            'node-name': 'disk0',
            server: nbdServerAddress(config.disk),
            export: config.disk.exportName,
          };
    args.push('-blockdev', JSON.stringify(blockdev));
    args.push('-device', 'virtio-blk-pci,drive=disk0,id=disk0-device');
  }
  if (config.network !== undefined && config.networkAdapters !== undefined)
    throw new Error('a VM with both network layouts');
  if (config.networkAdapters !== undefined)
    args.push(...networkAdapterArguments(config.networkAdapters));
  if (config.network !== undefined) {
    // QEMU 7.2's -netdev user: "restrict=on|off: If this option is enabled, the guest will be
    // isolated, i.e. it will not be able to contact the host and no guest IP packets will be
    // routed over the host to the outside" (qemu-options.hx); its DHCP server still answers.
    args.push(
      '-netdev',
      'user,id=net0,restrict=on',
      '-device',
      `virtio-net-pci,netdev=net0,mac=${qemuMacAddress(config.network.macAddress)},id=net0-device`,
    );
  }
  if (config.guestAgent) {
    args.push(
      '-chardev',
      `socket,id=guest-agent,path=${optionValue(sockets.guestAgent)}`,
      '-device',
      'virtio-serial-pci,id=virtio-serial0',
      '-device',
      'virtserialport,chardev=guest-agent,name=org.qemu.guest_agent.0',
    );
  }
  // QEMU 7.2 has no `file:` migration URI (8.2 added it): the state goes through `cat`.
  if (incomingStateFile !== undefined)
    args.push('-incoming', `exec:cat ${shellQuote(incomingStateFile)}`);
  return args;
}

/**
 * QEMU 7.2's SocketAddress (qapi/sockets.json): `{ type: 'unix', path }`, or `{ type: 'fd', str }`
 * where `str` is "decimal is for file descriptor number, otherwise a file descriptor name" (a
 * number is taken where no monitor command runs, as on the command line).
 */
function nbdServerAddress(disk: NbdDisk): Record<string, string> {
  return 'socketPath' in disk
    ? { type: 'unix', path: disk.socketPath }
    : { type: 'fd', str: String(INHERITED_DISK_DESCRIPTOR) };
}

/**
 * The kernel's command line as QEMU passes it. Under TCG it gets `no_timer_check` (the kernel's
 * parameter for virtual machines: Documentation/admin-guide/kernel-parameters.txt, "Disables the
 * code which tests for broken timer IRQ sources"): on a loaded host the emulated processor runs
 * so slowly that the check of the IO-APIC timer fails and the kernel panics ("IO-APIC + timer
 * doesn't work!"), seen here with the Debian kernel under TCG.
 */
function kernelCommandLine(
  cmdline: string | undefined,
  accelerator: Accelerator,
): string | undefined {
  if (accelerator !== 'tcg' || cmdline === undefined) return cmdline;
  return cmdline.split(/\s+/).includes('no_timer_check') ? cmdline : `${cmdline} no_timer_check`;
}
