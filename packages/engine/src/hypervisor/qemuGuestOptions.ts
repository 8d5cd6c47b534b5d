/** The options of a guest run by QEMU (qemuGuest.ts), and how a Standard checkpoint's memory is written. */
import type { Accelerator, GuestNetwork } from '@hvm/qemu';
import type { FileStore } from '@hvm/vhdx';
import type { DiskLibrary } from '../disk/diskLibrary.js';
import type { QemuDeviceRecord } from '../persistence/records.js';
import type { QemuDiskTransport } from './qemuDiskTransport.js';
import type { QemuGuestNetwork } from './qemuNetwork.js';

export interface QemuGuestOptions {
  vmName: string;
  vmId: string;
  library: DiskLibrary;
  /** The VM's file store; it must have a place on this host's disk (`absolutePath`). */
  store: FileStore;
  /** The kernel the guest boots (`@hvm/guest-image`'s GuestImage has this shape). */
  image: { kernel: string; initrd: string; cmdline: string; agent: boolean };
  memoryMiB: number;
  processorCount: number;
  accelerator: Accelerator;
  /**
   * Every network adapter's device (qemuNetwork.ts): a saved state restores only onto the devices
   * it recorded. Not with `network`.
   */
  networkAdapters?: QemuDeviceRecord;
  /**
   * The layout of a state saved before devices were recorded: the VM's first network adapter when
   * it is connected; absent: no network device.
   */
  network?: GuestNetwork;
  /**
   * How the disk reaches QEMU (qemuDiskTransport.ts); a restore must give the one its state was
   * saved with. Default: what a guest that boots gets on this host (`bootDiskTransport`).
   */
  diskTransport?: QemuDiskTransport;
  /** Runs once QEMU is up, before the guest's processors run (the links are set here). */
  beforeRun?: (networkAdapters: QemuGuestNetwork | null) => Promise<void>;
  /** How long the guest agent has to answer before it counts as not running (default 3 s). */
  agentTimeoutMs?: number;
  /** Where what the host says once goes (default: standard error). */
  log?: (message: string) => void;
}

/** How a Standard checkpoint's memory is written: its progress, and a rate limit. */
export interface MemoryWriting {
  /** The share of the memory written, from 0 to 1. */
  onProgress?: (share: number) => void;
  /** At most this many bytes per second (0 or absent: no limit). */
  maxBytesPerSecond?: number;
}
