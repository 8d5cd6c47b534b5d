import type { GuestSimulation } from '../guestSimulationTypes.js';
import type {
  AutomaticStartAction,
  AutomaticStopAction,
  CheckpointId,
  Consistency,
  ReferencePoint,
  CheckpointKind,
  CheckpointType,
  IntegrationServices,
  ProductionFallbackReason,
  VmId,
  VmState,
} from '../types.js';
import type { BiosStartupDevice, SecureBootTemplate } from '../vmSettingsTypes.js';

/**
 * What the engine keeps on disk. The VM's JSON (`Virtual Machines/<VMId>.json`) is the single
 * commit point of every operation: a file that it does not reference is an orphan of an
 * interrupted operation and is removed on load, except an `.avhdx`, which is removed only when the
 * host marked it as its own (`pendingDisks.ts`) and otherwise kept for Check Host to report.
 */
export const VM_FORMAT_VERSION = 1;

/** The steady power states that are persisted; transitional states never reach the disk. */
export type PersistedState = 'Off' | 'Running' | 'Saved' | 'Paused';

export interface DriveSlot {
  controllerLocation: string;
  /** The disk this slot writes to, relative to the data folder. */
  path: string;
  virtualSizeBytes: number;
}

/** The hardware configuration a checkpoint freezes and Apply brings back. */
export interface VmConfiguration {
  generation: 1 | 2;
  memoryStartupMB: number;
  integrationServices: IntegrationServices;
  guestImage: string | null;
  /** Guest memory the workload touches, MB; absent: the image's default. */
  workingSetMB?: number;
  /** Processors and Dynamic Memory; absent in older files (`HARDWARE_DEFAULTS` apply). */
  processorCount?: number;
  dynamicMemoryEnabled?: boolean;
  memoryMinimumMB?: number;
  memoryMaximumMB?: number;
  memoryBufferPercent?: number;
  memoryWeight?: number;
  /** Firmware, BIOS and Security (`firmwareSettings.ts`); absent in older files (defaults apply). */
  secureBootEnabled?: boolean;
  secureBootTemplate?: SecureBootTemplate;
  /** Generation 2: controller locations of the hard drives, first to boot first. */
  bootOrder?: string[];
  biosStartupOrder?: BiosStartupDevice[];
  numLockEnabled?: boolean;
  tpmEnabled?: boolean;
  encryptStateAndVmMigrationTraffic?: boolean;
  /**
   * The virtual switch the VM's network adapter is connected to (`network/switchRegistry.ts`):
   * null when "Not connected"; absent in older files (the Default Switch). Part of the
   * configuration, so a checkpoint keeps it and Apply brings it back (behaviour spec §1: Apply
   * restores the checkpoint's configuration, network adapters included).
   */
  networkSwitchId?: string | null;
  /**
   * The VM's network adapters (`vm/vmDevices.ts`); absent in older files: one "Network Adapter"
   * on `networkSwitchId`. Written, `networkSwitchId` goes.
   */
  networkAdapters?: NetworkAdapterRecord[];
  /**
   * How many SCSI controllers the VM has (numbered 0 up); absent in older files: as many as its
   * drives use (generation 2: at least one).
   */
  scsiControllerCount?: number;
}

/** A network adapter as the configuration keeps it. */
export interface NetworkAdapterRecord {
  id: string;
  name: string;
  isLegacy: boolean;
  /** null: Not connected. An ID that names no switch reads as Not connected. */
  switchId: string | null;
  /** Twelve hexadecimal digits, upper case; null: dynamic. */
  staticMacAddress: string | null;
}

/**
 * The devices a QEMU saved state was taken with (hypervisor/qemuNetwork.ts): a saved state
 * restores only onto the same devices. Absent for states saved before it was recorded.
 */
export interface QemuDeviceRecord {
  /** How many PCI Express root ports for network adapters the machine has. */
  networkAdapterPorts: number;
  /** Each network adapter's virtio-net device: its root port, and its MAC address then. */
  networkAdapters: { adapterId: string; macAddress: string; port: number }[];
  /**
   * How the guest's disk reaches QEMU: `vhost-user-blk`, a vhost-user-blk device served by this
   * host's process with the guest's memory shared (`@hvm/vhost-user`). Absent: a virtio-blk
   * device on QEMU's NBD client (every state saved before this field existed). The two differ in
   * devices and in the name of the guest's memory, so a state restores only onto its own.
   */
  diskTransport?: 'vhost-user-blk';
}

/** A checkpoint's place in the tree: the mutable part, kept in the VM's JSON. */
export interface CheckpointNode {
  id: CheckpointId;
  name: string;
  parentId: CheckpointId | null;
  /** Frozen disks, one per drive slot (they change only when a merge folds a disk into its parent). */
  disks: string[];
}

/** A checkpoint's immutable part: `<Checkpoint File Location>/<CheckpointId>.json`. */
export interface CheckpointFile {
  formatVersion: number;
  id: CheckpointId;
  vmId: VmId;
  createdAt: string;
  kind: CheckpointKind;
  vmState: VmState;
  hasSavedState: boolean;
  isAutomaticCheckpoint: boolean;
  note: string | null;
  /** Why a Production checkpoint fell back to Standard; absent in older files (derived at load). */
  fallbackReason?: ProductionFallbackReason | null;
  /** The uptime the saved memory holds; 0 without saved state. */
  savedUptimeMs: number;
  /** A QEMU guest's saved state: the devices it was saved with. */
  qemuDevices?: QemuDeviceRecord;
  configuration: VmConfiguration;
  controllerLocations: string[];
  virtualSizes: number[];
  /** The guest checker's verdict on the frozen disks (and memory); absent in older files. */
  consistency?: Consistency | null;
  consistencyDetail?: string | null;
}

/** The simulated replication partner of a domain controller: outside the VM, never rolled back. */
export interface ReplicationPartnerRecord {
  invocation: number;
  highestUsnSeen: number;
  rollbackDetected: boolean;
}

/** Every disk file of the VM and its parent, so that chains are known without opening files. */
export type DiskRegistry = Record<string, { parent: string | null }>;

export interface MergeInFlight {
  /** The differencing disk being folded into `parent`. */
  child: string;
  parent: string;
}

/** The VM's saved state: its uptime, and a QEMU guest's devices (absent in older files). */
export interface SavedStateRecord {
  uptimeMs: number;
  qemuDevices?: QemuDeviceRecord;
}

export interface VmFile {
  formatVersion: number;
  id: VmId;
  name: string;
  createdAt: string;
  configurationVersion: string;
  configuration: VmConfiguration;
  checkpointType: CheckpointType;
  automaticCheckpointsEnabled: boolean;
  snapshotFileLocation: string;
  /** Automatic Start/Stop Action settings; absent in older files (Hyper-V's defaults apply). */
  automaticStartAction?: AutomaticStartAction;
  automaticStartDelaySeconds?: number;
  automaticStopAction?: AutomaticStopAction;
  /** Set-VM -Notes; absent when none. */
  notes?: string;
  /**
   * Set when the VM was Running or Paused as the host stopped (its Automatic Stop Action was
   * applied), cleared when it next starts: Automatic Start Action StartIfRunning starts it again.
   * A host that is killed leaves no record.
   */
  runningAtHostStop?: boolean;
  drives: DriveSlot[];
  state: PersistedState;
  /** Uptime accumulated before `runningSince`. */
  uptimeMs: number;
  /** ISO time the current run began (Running only). */
  runningSince: string | null;
  /** The saved state (`Virtual Machines/<VMId>.vmrs`) when Saved. */
  savedState: SavedStateRecord | null;
  parentCheckpointId: CheckpointId | null;
  checkpoints: CheckpointNode[];
  disks: DiskRegistry;
  merge: MergeInFlight | null;
  replicationPartner?: ReplicationPartnerRecord;
  /**
   * The VM-Generation ID (a 128-bit GUID the hypervisor shows the guest; behaviour spec R32): new
   * on Apply and on Import. Absent only in files written before it; load gives them one.
   */
  vmGenerationId?: string;
  /** Simulated guest faults (`Host.setGuestSimulation`); absent: none. */
  guestSimulation?: GuestSimulation;
  /** Reference points left by backups (converted recovery checkpoints). */
  referencePoints?: ReferencePoint[];
  /** Set while the VM is being created or deleted; load finishes the deletion. */
  lifecycle: 'provisioning' | 'ready' | 'deleting';
}

/** The VM's uptime at `now`: what it ran before, plus the current run (frozen while Paused). */
export function uptimeMsAt(file: Pick<VmFile, 'uptimeMs' | 'runningSince'>, now: Date): number {
  if (file.runningSince === null) return file.uptimeMs;
  return file.uptimeMs + Math.max(0, now.getTime() - Date.parse(file.runningSince));
}
