import type { CheckpointId, VmId } from '../types.js';

/** Who uses a disk file: Now's drive, a checkpoint's frozen disk, or a file in the middle of a chain. */
export interface DiskUser {
  vmId: VmId;
  vmName: string;
  /** `Now`: a drive of the running configuration; `Checkpoint`: a checkpoint's frozen disk; `Chain`: a parent further up. */
  role: 'Now' | 'Checkpoint' | 'Chain';
  checkpointId: CheckpointId | null;
  checkpointName: string | null;
}

/** One disk file as "Virtual Hard Disk Properties" shows it. */
export interface DiskFileInfo {
  /** Relative to the host's data folder. */
  path: string;
  format: 'VHDX';
  type: 'Dynamic' | 'Fixed' | 'Differencing';
  virtualSizeBytes: number;
  fileSizeBytes: number;
  /** Bytes the file really occupies (it is sparse). */
  allocatedBytes: number;
  logicalSectorSize: number;
  physicalSectorSize: number;
  blockSizeBytes: number;
  virtualDiskId: string;
  /** The parent recorded in the file's header; null for a base disk. */
  parentPath: string | null;
  usedBy: DiskUser[];
}

/** Inspect Disk: the disk and its parent chain, the disk itself first. */
export interface DiskInspection extends DiskFileInfo {
  chain: DiskFileInfo[];
}

/** A disk file found in the host's data folder. */
export interface DiskFileEntry {
  path: string;
  extension: 'vhdx' | 'avhdx';
  /** The file's length. */
  fileSizeBytes: number;
  /** Bytes the file really occupies (it is sparse): Inspect Disk's current file size. */
  allocatedBytes: number;
  usedBy: DiskUser[];
}

/** Check Host: what does not agree between the files and the checkpoint trees. Nothing is changed. */
export interface HostCheckReport {
  ok: boolean;
  checkedAt: string;
  /** `.avhdx` files that no VM's checkpoint tree knows. */
  orphanedDisks: { path: string; parentPath: string | null; reason: string }[];
  /** Differencing disks whose header names another parent than the tree (or that cannot be opened). */
  brokenChains: {
    vmId: VmId;
    vmName: string;
    disk: string;
    expectedParent: string | null;
    actualParent: string | null;
    error: string | null;
  }[];
  /** Checkpoint configurations and saved states no VM lists (kept on load, issue 17). */
  orphanedFiles: OrphanedFile[];
  /** Files the configuration refers to that are not there. */
  missingFiles: { vmId: VmId; vmName: string; path: string; usedBy: string }[];
  /** VMs whose disks were not compared, e.g. while their disks merge. */
  skippedVms: { vmId: VmId; vmName: string; reason: string }[];
}

/** Export-VMSnapshot / Export-VM: the target folder, relative to the host's data folder. */
export interface ExportInput {
  path: string;
  /**
   * Export-VM only: one standalone `.vhdx` per drive with Now's content and no checkpoints (the
   * earlier layout of this host). Default: Hyper-V's layout, the chain and checkpoints as they are.
   */
  flatten?: boolean | undefined;
}

/** New-VHD. */
export interface NewVirtualHardDiskInput {
  /** The new `.vhdx`, relative to the data folder. */
  path: string;
  /** A dynamic disk's size: a multiple of 512 bytes, 3 MB to 64 TB. */
  sizeBytes?: number;
  /** A differencing disk's parent (its size is the parent's). */
  parentPath?: string;
  /** New-VHD -Fixed: every block allocated now (default dynamic). */
  fixed?: boolean;
}

/** Merge-VHD. */
export interface MergeVirtualHardDiskInput {
  /** The differencing disk to merge. */
  path: string;
  /** The ancestor it merges into; default its parent. */
  destinationPath?: string;
}

/** Resize-VHD. */
export type ResizeVirtualHardDiskInput =
  | {
      /** The disk, relative to the data folder. */
      path: string;
      /** The new virtual size: a multiple of the disk's logical sector size, up to 64 TB. */
      sizeBytes: number;
    }
  | { path: string; toMinimumSize: true };

/** A drive's place on the VM's controllers (Add-VMHardDiskDrive). */
export type ControllerType = 'IDE' | 'SCSI';

export interface HardDiskDriveSlot {
  controllerType: ControllerType;
  controllerNumber: number;
  controllerLocation: number;
}

export interface AddHardDiskDriveInput extends Partial<HardDiskDriveSlot> {
  /** The disk file, relative to the data folder: a `.vhdx` (or `.avhdx`) no VM uses. */
  path: string;
}

/** A checkpoint configuration or saved state no VM lists, found by Check Host. */
export interface OrphanedFile {
  /** Relative to the data folder. */
  path: string;
  kind: 'Checkpoint configuration' | 'Saved state';
  reason: string;
}

/** Check Host's Attach: an orphaned disk Check Host reports becomes a new hard drive of an Off VM. */
export type AttachOrphanedDiskInput = AddHardDiskDriveInput;
/** Convert-VHD. */
export interface ConvertVirtualHardDiskInput {
  /** The disk to copy, relative to the data folder (it is not changed). */
  path: string;
  /** The new `.vhdx`, relative to the data folder; it must not exist. */
  destinationPath: string;
  /** The new disk's type (-VHDType); default the source's (a differencing source: Dynamic). */
  vhdType?: 'Dynamic' | 'Fixed' | undefined;
  /** -DeleteSource: the source file goes once the copy is complete. */
  deleteSource?: boolean | undefined;
}

/** Optimize-VHD -Mode (VhdCompactMode). */
export type VhdCompactMode = 'Full' | 'Quick' | 'Retrim' | 'Pretrimmed' | 'Prezeroed';

/** Optimize-VHD (Edit Disk's Compact). */
export interface OptimizeVirtualHardDiskInput {
  path: string;
  /** Default Quick for a VHDX (Microsoft's Optimize-VHD reference). */
  mode?: VhdCompactMode | undefined;
}
