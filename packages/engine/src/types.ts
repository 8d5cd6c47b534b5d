/**
 * The engine's public data types (DTOs). They are plain JSON-serialisable objects: the server sends
 * them as they are and the web app imports them with `import type`.
 */

import type { ErrorCode } from './errors.js';
import type { GuestSimulation } from './guestSimulationTypes.js';
import type {
  VmFirmware,
  VmFirmwareUpdate,
  VmSecurity,
  VmSecurityUpdate,
} from './vmSettingsTypes.js';
import type { NetworkAdapter, ScsiController } from './network/switchTypes.js';

export type { Branded, CheckpointId, TaskId, VmId } from './ids.js';
import type { CheckpointId, TaskId, VmId } from './ids.js';

/** VM power states, as PowerShell's `VMState` names them (shared with the web app). */
export { VmState } from '@hvm/contracts';
import type { VmState } from '@hvm/contracts';

/** `Set-VM -CheckpointType` values. */
export const CheckpointType = {
  Disabled: 'Disabled',
  Production: 'Production',
  ProductionOnly: 'ProductionOnly',
  Standard: 'Standard',
} as const;
export type CheckpointType = (typeof CheckpointType)[keyof typeof CheckpointType];

/** What a checkpoint really is: Standard (memory when the VM ran), Production (guest quiesced, no memory), Recovery (made by backup software). */
export const CheckpointKind = {
  Standard: 'Standard',
  Production: 'Production',
  Recovery: 'Recovery',
} as const;
export type CheckpointKind = (typeof CheckpointKind)[keyof typeof CheckpointKind];

/**
 * Get-VM's `Heartbeat`: the values of the Hyper-V module's `VMHeartbeatStatus` enum this host
 * reports (the enum also has Unknown, Error, LostCommunication, OkApplicationsHealthy,
 * OkApplicationsCritical and Paused; type stub of the Hyper-V module 2.0.0.0).
 */
export const VmHeartbeatStatus = {
  Disabled: 'Disabled',
  NoContact: 'NoContact',
  OkApplicationsUnknown: 'OkApplicationsUnknown',
} as const;
export type VmHeartbeatStatus = (typeof VmHeartbeatStatus)[keyof typeof VmHeartbeatStatus];

/** The VM actions of Hyper-V Manager's context menu that change the power state (shared). */
export { VmAction } from '@hvm/contracts';

/** `Set-VM -AutomaticStartAction`: what the VM does when the host (the Hyper-V service) starts. */
export const AutomaticStartAction = {
  Nothing: 'Nothing',
  StartIfRunning: 'StartIfRunning',
  Start: 'Start',
} as const;
export type AutomaticStartAction = (typeof AutomaticStartAction)[keyof typeof AutomaticStartAction];

/** `Set-VM -AutomaticStopAction`: what happens to a running VM when the host stops. */
export const AutomaticStopAction = {
  Save: 'Save',
  TurnOff: 'TurnOff',
  ShutDown: 'ShutDown',
} as const;
export type AutomaticStopAction = (typeof AutomaticStopAction)[keyof typeof AutomaticStopAction];

/** Integration services, with the captions of the Settings page. */
export interface IntegrationServices {
  operatingSystemShutdown: boolean;
  timeSynchronization: boolean;
  dataExchange: boolean;
  heartbeat: boolean;
  /** "Backup (volume shadow copy)": needed for production checkpoints. */
  backup: boolean;
  guestServices: boolean;
}

export interface HardDrive {
  /** e.g. "SCSI 0:0" (generation 2) or "IDE 0:0" (generation 1). */
  controllerLocation: string;
  /** The disk the VM writes to now (a `.vhdx`, or the newest `.avhdx` once checkpoints exist), a full path on this host (storage/hostPaths.ts). */
  path: string;
  /** The disk's chain from the file above to its base `.vhdx`. */
  chain: string[];
  virtualSizeBytes: number;
}

export interface VmSummary {
  id: VmId;
  name: string;
  generation: 1 | 2;
  state: VmState;
  /** Percent, 0-100. */
  cpuUsage: number;
  memoryStartupMB: number;
  /** 0 unless the VM is running or paused. */
  memoryAssignedMB: number;
  /** Milliseconds the guest has been running, as of `observedAt`. */
  uptimeMs: number;
  /** ISO time the figures above were read; the UI adds the time since while Running. */
  observedAt: string;
  /** Hyper-V Manager's Status column: "Operating normally", "Creating checkpoint (45%)", "Merging disks (30%)". */
  status: string;
  configurationVersion: string;
  checkpointType: CheckpointType;
  automaticCheckpointsEnabled: boolean;
  /** Checkpoint File Location, a full path on this host (storage/hostPaths.ts). */
  snapshotFileLocation: string;
  /** The checkpoint the VM's current state ("Now") derives from; `null` when Now is a root. */
  parentCheckpointId: CheckpointId | null;
  parentCheckpointName: string | null;
  checkpointCount: number;
  /** The guest image name or null when the disk is blank. */
  guestImage: string | null;
  createdAt: string;
}

export interface VmDetail extends VmSummary {
  integrationServices: IntegrationServices;
  hardDrives: HardDrive[];
  /** Folder of the VM's configuration, a full path on this host (storage/hostPaths.ts). */
  configurationLocation: string;
  /** Default StartIfRunning, as in Hyper-V. */
  automaticStartAction: AutomaticStartAction;
  /** Seconds to wait before the automatic start (0-86400). */
  automaticStartDelaySeconds: number;
  /** Default Save, as in Hyper-V. */
  automaticStopAction: AutomaticStopAction;
  /** Processors and memory (Get-VMProcessor, Get-VMMemory); always set by the engine. */
  hardware?: VmHardware;
  /** Set-VM -Notes; '' when none. Always set by the engine. */
  notes?: string;
  /**
   * Get-VM's Heartbeat: null unless the VM is Running; NoContact when no guest answers (no
   * operating system, not booted, or no integration services). Always set by the engine.
   */
  heartbeat?: VmHeartbeatStatus | null;
  /**
   * Whether the guest's integration services answer the host (Get-VMIntegrationService's "OK"
   * rather than "No Contact"): Running, booted, with integration services. Always set by the engine.
   */
  integrationServicesInContact?: boolean;
  /**
   * The VM-Generation ID (behaviour spec R32): a simulator extension of the REST body; Hyper-V's
   * PowerShell has no property for it. Always set by the engine.
   */
  vmGenerationId?: string;
  /** Simulated guest faults (a simulation extension, not Hyper-V's). Always set by the engine. */
  guestSimulation?: GuestSimulation;
  /** Firmware (generation 2) or BIOS (generation 1) settings. Always set by the engine. */
  firmware?: VmFirmware;
  /** The Security page's settings (Get-VMSecurity). Always set by the engine. */
  security?: VmSecurity;
  /** The VM's network adapters, in the order they were added. Always set by the engine. */
  networkAdapters?: NetworkAdapter[];
  /**
   * The addresses a real guest (QEMU host) reports through Key-Value Pair Exchange, all its
   * adapters', as its agent last answered; empty before it has one. Null when the guest is not
   * real (the simulated guest has no network stack: Get-VMNetworkAdapter simulates its addresses).
   */
  guestIpAddresses?: string[] | null;
  /**
   * A real guest's addresses by network adapter ID (each interface matched to its adapter by MAC
   * address): Get-VMNetworkAdapter's IPAddresses. Null when the guest is not real.
   */
  guestAdapterIpAddresses?: Record<string, string[]> | null;
  /** The VM's SCSI controllers, by number (Get-VMScsiController). Always set by the engine. */
  scsiControllers?: ScsiController[];
}

/** A VM's processor and memory settings, as Get-VMProcessor and Get-VMMemory report them. */
export interface VmHardware {
  processorCount: number;
  dynamicMemoryEnabled: boolean;
  /** Dynamic Memory's minimum and maximum, MB (even numbers). */
  memoryMinimumMB: number;
  memoryMaximumMB: number;
  /** Dynamic Memory's buffer, percent (5-2000). */
  memoryBufferPercent: number;
  /** Memory weight (Set-VMMemory -Priority), 0-100. */
  memoryWeight: number;
}

/**
 * A VM's settings as of a checkpoint (the configuration the checkpoint froze, which Apply brings
 * back; behaviour spec §3: "the settings of a checkpoint can be viewed but not changed").
 */
export interface CheckpointSettings {
  generation: 1 | 2;
  memoryStartupMB: number;
  hardware: VmHardware;
  integrationServices: IntegrationServices;
  firmware: VmFirmware;
  security: VmSecurity;
  /** The checkpoint's frozen disks, one per drive, relative to the data folder. */
  hardDrives: { controllerLocation: string; path: string; virtualSizeBytes: number }[];
  /** The network adapters and SCSI controllers as of the checkpoint (Apply brings them back). */
  networkAdapters: NetworkAdapter[];
  scsiControllers: ScsiController[];
}

export interface Checkpoint {
  id: CheckpointId;
  vmId: VmId;
  name: string;
  parentId: CheckpointId | null;
  /** ISO time. */
  createdAt: string;
  kind: CheckpointKind;
  /** PowerShell's `SnapshotType`: Standard for Standard and Production checkpoints, Recovery for backup ones. */
  snapshotType: 'Standard' | 'Recovery';
  /** The VM's power state when the checkpoint was taken. */
  vmState: VmState;
  /** True when the checkpoint holds memory and device state (a `.vmrs` with memory). */
  hasSavedState: boolean;
  isAutomaticCheckpoint: boolean;
  /** Why the checkpoint got its kind, e.g. "fell back to Standard: the guest is not running" (for people). */
  note: string | null;
  /**
   * Why a checkpoint of a VM whose checkpoint type is Production is Standard instead (the same fact
   * as the note's "fell back to Standard", as data); null when it did not fall back.
   */
  fallbackReason: ProductionFallbackReason | null;
  /** Frozen disks of the checkpoint, a full path on this host (storage/hostPaths.ts). */
  hardDrives: string[];
  /** Bytes the checkpoint's own files occupy (its differencing disks, configuration and saved state). */
  sizeOnDiskBytes: number;
  /**
   * What the guest application's own checker found on the checkpoint's frozen disk chain (and
   * memory, for Complete); null for a blank disk.
   */
  consistency: Consistency | null;
  /** The checker's explanation, e.g. "database closed cleanly by its VSS writer at LSN 42". */
  consistencyDetail: string | null;
  /** The VM's settings as of the checkpoint; only in the answer for one checkpoint (getCheckpoint). */
  settings?: CheckpointSettings;
}

/**
 * Why a Production checkpoint could not be taken and a Standard one was (behaviour spec §1.5): the
 * VM was off (disk and configuration only), saved or paused (no guest to prepare its disks), or the
 * running guest could not quiesce through VSS (no operating system, not booted, no integration
 * services, the Backup (volume shadow copy) service off).
 */
export const ProductionFallbackReason = {
  VmOff: 'vm-off',
  VmSaved: 'vm-saved',
  VmPaused: 'vm-paused',
  NoOperatingSystem: 'no-operating-system',
  GuestNotBooted: 'guest-not-booted',
  NoIntegrationServices: 'no-integration-services',
  BackupServiceOff: 'backup-service-off',
  /** Simulated faults (guestSimulationTypes.ts): the guest's backup daemon is stopped; its VSS writer failed. */
  BackupDaemonStopped: 'backup-daemon-stopped',
  VssWriterFailed: 'vss-writer-failed',
} as const;
export type ProductionFallbackReason =
  (typeof ProductionFallbackReason)[keyof typeof ProductionFallbackReason];

/** How consistent a checkpoint's content is, from best to worst (Complete = disks plus memory). */
export const Consistency = {
  Complete: 'Complete',
  ApplicationConsistent: 'ApplicationConsistent',
  FileSystemConsistent: 'FileSystemConsistent',
  CrashConsistent: 'CrashConsistent',
} as const;
export type Consistency = (typeof Consistency)[keyof typeof Consistency];

/** A Quick Create gallery entry: a simulated guest installed on a new VM's disk. */
export interface GuestImageInfo {
  /** The name given as `CreateVmInput.guestImage`, e.g. "ubuntu-22.04-postgres". */
  name: string;
  caption: string;
  os: string;
  application: string;
  /** Whether the guest has integration services (VSS requestor, shutdown, heartbeat, ...). */
  integrationServices: boolean;
  description: string;
}

/** What happened when the guest last came up. */
export const GuestBootKind = {
  CleanStart: 'clean-start',
  Resumed: 'resumed',
  CrashRecovery: 'crash-recovery',
  UsnRollback: 'usn-rollback',
  RestoredFromBackup: 'restored-from-backup',
  /** A domain controller saw a new VM-Generation ID and applied its safeguards (behaviour spec R32). */
  VmGenerationIdChanged: 'vm-generation-id-changed',
  NoOperatingSystem: 'no-operating-system',
} as const;
export type GuestBootKind = (typeof GuestBootKind)[keyof typeof GuestBootKind];

/** "Virtual Machine Connection": what the console of a guest shows. */
export interface GuestConsole {
  vmId: VmId;
  vmName: string;
  state: VmState;
  guestImage: string | null;
  os: string | null;
  application: string | null;
  /** True while the guest runs (Running or Paused); the figures below are then live. */
  running: boolean;
  uptimeMs: number;
  committedTransactions: number;
  /** IDs of the transactions begun but not committed, in guest memory only. */
  inFlightTransactions: number[];
  /** Database pages changed in guest memory and not yet on disk. */
  dirtyPages: number;
  boot: { kind: GuestBootKind; message: string } | null;
  /** The domain controller's replication partner, for domain controllers. */
  replication: { status: 'Healthy' | 'UsnRollbackDetected'; message: string } | null;
  /** Integration services: enabled on the host and present in the guest. */
  integrationServices: { name: string; enabled: boolean; inGuest: boolean }[];
  /** The newest console lines, oldest first. */
  lines: string[];
  /**
   * The guest runs under QEMU: Virtual Machine Connection shows its serial console
   * (`Host.connectSerialConsole`) instead of the figures above, which are the simulation's.
   */
  serialConsole: boolean;
  observedAt: string;
}

/** What a backup keeps after converting a recovery checkpoint (not a checkpoint). */
export interface ReferencePoint {
  id: string;
  vmId: VmId;
  /** The recovery checkpoint it was converted from. */
  checkpointId: CheckpointId;
  /** ISO time of the recovery checkpoint. */
  createdAt: string;
  convertedAt: string;
  consistency: Consistency | null;
  virtualSizes: number[];
}

export interface CheckpointTree {
  vmId: VmId;
  /** Every checkpoint of the VM, parents before children, siblings oldest first. */
  checkpoints: Checkpoint[];
  /** Where "Now" hangs: the checkpoint the VM's current state derives from. */
  now: { parentId: CheckpointId | null };
}

export const TaskStatus = { Running: 'Running', Completed: 'Completed', Failed: 'Failed' } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/**
 * A long operation: a merge after Delete Checkpoint or an export, which go on after the request
 * answered, or an edit of a virtual hard disk of no VM (New-VHD, Convert-VHD, Optimize-VHD,
 * Resize-VHD, Merge-VHD), which the request waits for.
 */
export interface Task {
  id: TaskId;
  /** The VM it works on; null for a host task on a virtual hard disk of no VM. */
  vmId: VmId | null;
  /** A host task's virtual hard disk (the file it creates, edits or merges). */
  disk?: string;
  /** e.g. "Merging disks". */
  name: string;
  status: TaskStatus;
  percentComplete: number;
  startedAt: string;
  finishedAt: string | null;
  error: { code: TaskErrorCode; message: string } | null;
}

/** A failed file operation's POSIX code, which Windows' words in the message stand for. */
export type FileErrorCode =
  | 'ENOENT'
  | 'ENOTDIR'
  | 'EMFILE'
  | 'ENFILE'
  | 'EACCES'
  | 'EPERM'
  | 'EISDIR'
  | 'EROFS'
  | 'EBUSY'
  | 'ETXTBSY'
  | 'EEXIST'
  | 'ENOSPC'
  | 'EDQUOT'
  | 'ENOTEMPTY'
  | 'ENAMETOOLONG'
  | 'EIO';

/**
 * Why a task failed: an engine error's code (CANCELLED: the host stopped), a file operation's
 * POSIX code (ENOSPC: the disk is full), or MERGE_FAILED / EXPORT_FAILED / DISK_EDIT_FAILED (a host task on a disk) for anything else.
 */
export type TaskErrorCode =
  ErrorCode | FileErrorCode | 'MERGE_FAILED' | 'EXPORT_FAILED' | 'DISK_EDIT_FAILED';

export interface HostInfo {
  name: string;
  /** Absolute path of the host data folder, or ":memory:". */
  dataLocation: string;
  vmCount: number;
  maxCheckpointsPerVm: number;
  /** The machine's logical processors and memory, as Get-VMHost reports them. */
  logicalProcessorCount?: number;
  memoryCapacityBytes?: number;
  /**
   * The default folders of Hyper-V Settings (Set-VMHost), relative to the data folder (`.` is the
   * data folder itself): new VMs' disks, and the folder whose `Snapshots` new VMs' checkpoints use.
   */
  virtualHardDiskPath?: string;
  virtualMachinePath?: string;
}

export interface CreateVmInput {
  name: string;
  generation?: 1 | 2;
  memoryStartupMB?: number;
  /** Size of the new dynamic `.vhdx`; default 127 GB, as Hyper-V Manager offers. */
  diskSizeBytes?: number;
  /**
   * Where the new `.vhdx` goes, relative to the data folder (New-VM -NewVHDPath, the wizard's
   * "Create a virtual hard disk" Location and Name); default `<VirtualHardDiskPath>/<name>.vhdx`.
   */
  newVhdPath?: string;
  /**
   * An existing `.vhdx` (or `.avhdx` with its parents) inside the data folder that no VM uses
   * (New-VM -VHDPath, the wizard's "Use an existing virtual hard disk"); it is attached as it is,
   * never copied or changed. Excludes `newVhdPath`, `diskSizeBytes`, `guestImage` and `noVhd`.
   */
  vhdPath?: string;
  /** No disk at all (New-VM -NoVHD, the wizard's "Attach a virtual hard disk later"). */
  noVhd?: boolean;
  /** The guest image installed on the disk (a gallery name); default null: a blank disk, no OS. */
  guestImage?: string | null;
  /** Guest memory the workload touches, MB (default: the image's); saved to `.vmrs` files. */
  guestWorkingSetMB?: number;
  /** The wizard's Assign Memory: "Use Dynamic Memory for this virtual machine" (default off). */
  dynamicMemoryEnabled?: boolean;
  /**
   * The wizard's Configure Networking Connection (New-VM -SwitchName): a switch's ID, null for
   * "Not connected"; absent, the Default Switch.
   */
  switchId?: string | null;
}

export interface VmSettingsUpdate {
  name?: string;
  checkpointType?: CheckpointType;
  automaticCheckpointsEnabled?: boolean;
  snapshotFileLocation?: string;
  memoryStartupMB?: number;
  guestWorkingSetMB?: number;
  integrationServices?: Partial<IntegrationServices>;
  automaticStartAction?: AutomaticStartAction;
  automaticStartDelaySeconds?: number;
  automaticStopAction?: AutomaticStopAction;
  /** Only while Off. */
  processorCount?: number;
  /** Only while Off. */
  dynamicMemoryEnabled?: boolean;
  memoryMinimumMB?: number;
  memoryMaximumMB?: number;
  memoryBufferPercent?: number;
  memoryWeight?: number;
  notes?: string;
  /** Set-VMFirmware / Set-VMBios; only while Off. */
  firmware?: VmFirmwareUpdate;
  /** Set-VMSecurity, Enable-VMTPM / Disable-VMTPM; only while Off. */
  security?: VmSecurityUpdate;
}

export interface CreateCheckpointInput {
  /** Default: `<VM name> - (M/D/YYYY - h:mm:ss AM)`. */
  name?: string;
}

export interface ApplyCheckpointInput {
  /** "Take Checkpoint and Apply": checkpoint the current state first. */
  takeCheckpointFirst?: boolean;
}

export { EventLevel } from './eventLogTypes.js';
export type { EventLogEntry, EventLogPage, EventLogQuery } from './eventLogTypes.js';
import type { EventLogEntry } from './eventLogTypes.js';

export type HostEvent =
  | { type: 'vm-changed'; vm: VmSummary }
  | { type: 'vm-removed'; vmId: VmId }
  | { type: 'checkpoints-changed'; vmId: VmId }
  | { type: 'task-changed'; task: Task }
  | { type: 'event-logged'; entry: EventLogEntry };

/** Hyper-V Settings' default folders (Set-VMHost); a field left out keeps its value. */
export interface HostSettingsUpdate {
  virtualHardDiskPath?: string;
  virtualMachinePath?: string;
}
