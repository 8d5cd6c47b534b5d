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
   * The first disk: the VM's disk served over NBD on a Unix socket (a virtio-blk device), a raw
   * file that QEMU opens itself (the peer the benchmarks measure the NBD + VHDX path against), or
   * a vhost-user-blk device whose back end runs in the host's process (`VhostUserDisk`).
   */
  disk?: NbdDisk | RawFileDisk | VhostUserDisk;
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

/**
 * A disk served by a vhost-user-blk back end in the host's process: QEMU hands the virtio queues
 * and the guest's memory to the back end over a control socket (the vhost-user protocol, QEMU's
 * docs/interop/vhost-user.rst), which then does the guest's I/O itself. The socket is a
 * connected pair the host made; QEMU inherits its end as `INHERITED_VHOST_USER_DESCRIPTOR`.
 *
 * The back end must map the guest's RAM, so the RAM is a shared memfd (`-object
 * memory-backend-memfd,...,share=on` as `-machine memory-backend=`) instead of QEMU's private
 * default. That renames the RAM block in the migration stream (the backend's id instead of the
 * machine's `default-ram-id`, "pc.ram" for q35: QEMU 7.2 invocation docs, `memory-backend`'s
 * migration compatibility note), so a state saved with one disk kind restores only onto a
 * machine of the same kind.
 *
 * QEMU sets the device up, the vhost-user handshake included, before its QMP monitor answers:
 * the back end must serve its end while `QemuMachine.launch` runs, or the launch fails (QEMU 7.2
 * reports "Failed to read msg header" when the end closes). QEMU cannot connect again to an
 * inherited descriptor: once the back end's end closes, the disk is gone for that run.
 */
export interface VhostUserDisk {
  /** The control socket's QEMU end in the host's process; `QemuMachine.launch` hands it to QEMU. */
  vhostUserDescriptor: number;
  /** The ring's size (`queue-size`, 2 to 1024): the back end's, which announces `seg_max` from it. */
  queueSize: number;
}

/**
 * The descriptor number QEMU holds a vhost-user disk's control socket as: the next after those
 * inherited before it (a connected NBD disk's end at `INHERITED_DISK_DESCRIPTOR`), so that each
 * kind keeps its number whatever else the machine has.
 */
export const INHERITED_VHOST_USER_DESCRIPTOR = INHERITED_DISK_DESCRIPTOR + 1;

/**
 * What `spawn`'s `stdio` gets after standard input, output and error, entry i becoming QEMU's
 * descriptor 3 + i: a connected NBD disk's end at `INHERITED_DISK_DESCRIPTOR`, a vhost-user
 * disk's at `INHERITED_VHOST_USER_DESCRIPTOR` (the place before it left empty: 'ignore').
 */
export function inheritedDescriptors(disk: QemuMachineConfig['disk']): ('ignore' | number)[] {
  if (disk === undefined || 'rawFile' in disk || 'socketPath' in disk) return [];
  if ('descriptor' in disk) return [disk.descriptor];
  return ['ignore', disk.vhostUserDescriptor];
}

/** The id of the guest's RAM as a shared memory backend (a vhost-user disk's `-object`). */
const GUEST_MEMORY_ID = 'guest-memory';

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
  const vhostUser = config.disk !== undefined && 'vhostUserDescriptor' in config.disk;
  const args = [
    '-name',
    optionValue(config.name),
    '-machine',
    `q35,accel=${config.accelerator}${vhostUser ? `,memory-backend=${GUEST_MEMORY_ID}` : ''}`,
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
  if (config.disk !== undefined && 'vhostUserDescriptor' in config.disk) {
    args.push(...vhostUserDiskArguments(config.disk, config.memoryMiB));
  } else if (config.disk !== undefined) {
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
 * A vhost-user-blk disk's arguments (QEMU 7.2 invocation docs):
 * - `-object memory-backend-memfd,...,share=on`: "an anonymous memory file backend object, which
 *   allows QEMU to share the memory with an external process (e.g. when using vhost-user)"; its
 *   size must be the machine's RAM (`-m`), which it backs through `-machine memory-backend=`
 *   ("Allows to use a memory backend as main RAM").
 * - `-chardev socket,id=...,fd=N`: a socket chardev on a descriptor QEMU inherited (the
 *   SocketAddress `fd` kind, as `nbdServerAddress`; not in the 7.2 invocation docs, but accepted
 *   by 7.2's `-chardev socket` and tried here: on a socket pair QEMU talks vhost-user at once,
 *   qemuMachine.test.ts). Not `server=on`: the pair is connected already.
 * - `-device vhost-user-blk-pci,chardev=...,num-queues=1`: the "stub device" that makes the
 *   virtio-blk device visible to the guest, its chardev "connects via a socket to the vhost-user
 *   daemon", which reaches the queues through the shared memory object, whose size "needs to
 *   match the size of the main system memory as defined by the -m argument" (QEMU 7.2 docs,
 *   system/devices/vhost-user). `num-queues=1`: the guest's requests come in one ring;
 *   `queue-size`: the back end's (it announces `seg_max` from it, so the two must agree).
 */
function vhostUserDiskArguments(disk: VhostUserDisk, memoryMiB: number): string[] {
  if (!Number.isInteger(disk.vhostUserDescriptor) || disk.vhostUserDescriptor < 0)
    throw new Error(`vhost-user descriptor ${disk.vhostUserDescriptor}`);
  if (!Number.isInteger(disk.queueSize) || disk.queueSize < 2 || disk.queueSize > 1024)
    throw new Error(`a vhost-user queue size of ${disk.queueSize}`);
  return [
    '-object',
    `memory-backend-memfd,id=${GUEST_MEMORY_ID},size=${memoryMiB}M,share=on`,
    '-chardev',
    `socket,id=disk0-vhost,fd=${INHERITED_VHOST_USER_DESCRIPTOR}`,
    '-device',
    `vhost-user-blk-pci,chardev=disk0-vhost,id=disk0-device,num-queues=1,queue-size=${disk.queueSize}`,
  ];
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
