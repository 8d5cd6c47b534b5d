import type { VmId } from '../types.js';

/**
 * The three import types of Hyper-V Manager's Import Virtual Machine wizard ("Choose Import Type")
 * and of Import-VM ("Export and Import virtual machines", learn.microsoft.com/windows-server/
 * virtualization/hyper-v/deploy/export-and-import-virtual-machines; Import-VM reference):
 * - `register`: "Register the virtual machine in-place (use the existing unique ID)": the files
 *   stay where they are (Import-VM without -Copy);
 * - `restore`: "Restore the virtual machine (use the existing unique ID)": the files are copied to
 *   the host's folders or the ones given (Import-VM -Copy);
 * - `copy`: "Copy the virtual machine (create a new unique ID)": the files are copied and the VM
 *   (and its checkpoints) get new IDs (Import-VM -Copy -GenerateNewId).
 */
export type ImportMode = 'register' | 'restore' | 'copy';

export const IMPORT_MODES: readonly ImportMode[] = ['register', 'restore', 'copy'];

export interface CompareVmInput {
  /**
   * The export folder (`<path>/<VM name>`, holding `Virtual Machines/`) or its configuration file
   * `Virtual Machines/<VMId>.json`, inside the data folder.
   */
  path: string;
  /** Default `register`, as Import-VM without -Copy. */
  mode?: ImportMode | undefined;
  /**
   * EXTENSION of this host, not a parameter of Hyper-V's Import-VM: another name for the imported
   * VM. Without it the VM keeps its name, as in Hyper-V (a copy beside its source has the same
   * name and a new ID; VMs of one name are allowed, behaviour spec R36).
   */
  newName?: string | undefined;
}

export interface ImportVmInput extends CompareVmInput {
  /** Restore and copy: the folder the virtual hard disks go to (Import-VM -VhdDestinationPath); default Hyper-V Settings' folder. */
  vhdDestinationPath?: string | undefined;
  /**
   * Restore and copy: the VM's folder (Import-VM -VirtualMachinePath). Configurations always
   * live in the host's `Virtual Machines`; the checkpoint files go to `<this>/Snapshots` unless
   * `snapshotFilePath` says otherwise. Default Hyper-V Settings' folder.
   */
  virtualMachinePath?: string | undefined;
  /** Restore and copy: the folder of the checkpoint files (Import-VM -SnapshotFilePath). */
  snapshotFilePath?: string | undefined;
}

/**
 * One thing that keeps the VM from being imported (Hyper-V's VMCompatibilityReport: each
 * incompatibility has Message, MessageId and Source). Hyper-V's message ids and texts for these
 * cases are not published: `messageId` is this host's own number (40xxx) and the messages are our
 * sentences, ending like Hyper-V's with the VM's name and ID.
 */
export interface VmIncompatibility {
  message: string;
  messageId: number;
  /** What it concerns: a disk file, a checkpoint, the VM's configuration or saved state. */
  source: string;
}

/** Compare-VM's answer: the VM the import would create and what does not fit. */
export interface VmCompatibilityReport {
  mode: ImportMode;
  /** The configuration file read, relative to the data folder. */
  path: string;
  vm: { id: VmId; name: string; checkpointCount: number; state: 'Off' | 'Saved' };
  incompatibilities: VmIncompatibility[];
}

/** This host's message ids of incompatibilities (Hyper-V's are unknown). */
export const IncompatibilityIds = {
  VirtualHardDiskMissing: 40010,
  ParentDiskMissing: 40011,
  ParentIdentifierMismatch: 40012,
  DiskChainCycle: 40013,
  DiskUnreadable: 40014,
  DiskInUse: 40015,
  CheckpointConfigurationMissing: 40020,
  SavedStateMissing: 40021,
  VmIdExists: 40030,
  // 40031 was "a VM of that name exists": retired, since VMs of one name are allowed (R36).
} as const;
