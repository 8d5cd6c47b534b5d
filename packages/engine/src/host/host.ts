import type {
  ApplyCheckpointInput,
  Checkpoint,
  CheckpointId,
  CheckpointTree,
  CreateCheckpointInput,
  CreateVmInput,
  EventLogPage,
  EventLogQuery,
  HostEvent,
  HostInfo,
  GuestConsole,
  GuestImageInfo,
  ReferencePoint,
  Task,
  TaskId,
  VmAction,
  VmDetail,
  VmId,
  VmSettingsUpdate,
  HostSettingsUpdate,
  VmSummary,
} from '../types.js';
import type {
  AddHardDiskDriveInput,
  AttachOrphanedDiskInput,
  DiskFileEntry,
  DiskInspection,
  ExportInput,
  HostCheckReport,
  MergeVirtualHardDiskInput,
  NewVirtualHardDiskInput,
  ResizeVirtualHardDiskInput,
  ConvertVirtualHardDiskInput,
  OptimizeVirtualHardDiskInput,
} from '../disk/diskTypes.js';
import type { GuestSimulationUpdate } from '../guestSimulationTypes.js';
import type { SerialConsoleConnection, SerialConsoleViewer } from '../serialConsoleTypes.js';
import type {
  AddNetworkAdapterInput,
  NewVirtualSwitchInput,
  RemovedVirtualSwitch,
  VirtualSwitch,
  VirtualSwitchUpdate,
} from '../network/switchTypes.js';
import type {
  CompareVmInput,
  ImportVmInput,
  VmCompatibilityReport,
} from '../import/importTypes.js';

/**
 * A Hyper-V host: its VMs, their checkpoints and disks. Every method that changes something
 * persists it before it resolves, and throws an `EngineError` for anything the user got wrong.
 * Operations on one VM are serialised; a conflicting one fails with OPERATION_IN_PROGRESS.
 */
export interface Host {
  info(): HostInfo;
  /**
   * Set-VMHost: the default folders for new VMs' disks and checkpoints, inside the data folder
   * (a path elsewhere is refused as for every other path); saved atomically with the host.
   */
  updateHostSettings(update: HostSettingsUpdate): Promise<HostInfo>;

  listVms(): VmSummary[];
  getVm(vmId: VmId): VmDetail;
  /**
   * One VM as the VM list shows it (its summary, without the details `getVm` builds: drives and
   * their chains, hardware, adapters). NOT_FOUND as `getVm` for a VM that does not exist: the
   * cheap check a cmdlet given a VM object makes before it acts on that VM.
   */
  getVmSummary(vmId: VmId): VmSummary;
  /** Exact, case-insensitive match on the name, as Get-VM -Name does (compared by `sameName`: NFKC, then case). */
  findVmsByName(name: string): VmSummary[];
  createVm(input: CreateVmInput): Promise<VmDetail>;
  /**
   * Remove-VM: the VM must be Off or Saved. Removes its configuration, saved state and checkpoints
   * but keeps its virtual hard disk (R26): Now's differencing disks merge into the `.vhdx` in a
   * background "Merging disks" task, and the `.vhdx` stays in the data folder, used by no VM.
   */
  deleteVm(vmId: VmId): Promise<void>;
  /**
   * Delete Saved State (Remove-VMSavedState): a Saved VM drops its saved memory and is Off; its
   * disks are untouched.
   */
  deleteSavedState(vmId: VmId): Promise<VmSummary>;
  /** Start, Turn Off, Shut Down, Save, Pause, Resume, Reset. Resolves once the VM reached the resulting steady state. */
  changeVmState(vmId: VmId, action: VmAction): Promise<VmSummary>;
  updateVmSettings(vmId: VmId, update: VmSettingsUpdate): Promise<VmDetail>;
  /**
   * Add-VMHardDiskDrive: attaches a disk file no VM uses (the VM Off, without checkpoints); the
   * first free location of the controller type when none is given.
   */
  addHardDiskDrive(vmId: VmId, input: AddHardDiskDriveInput): Promise<VmDetail>;
  /** Remove-VMHardDiskDrive: detaches the drive at e.g. "SCSI 0:1"; the file stays. */
  removeHardDiskDrive(vmId: VmId, controllerLocation: string): Promise<VmDetail>;
  /** Set-VMHardDiskDrive -Path: the drive at that location uses another disk file. */
  setHardDiskDrivePath(vmId: VmId, controllerLocation: string, path: string): Promise<VmDetail>;

  listCheckpoints(vmId: VmId): CheckpointTree;
  getCheckpoint(vmId: VmId, checkpointId: CheckpointId): Checkpoint;
  createCheckpoint(vmId: VmId, input?: CreateCheckpointInput): Promise<Checkpoint>;
  /** 1-100 characters, not only white space. */
  renameCheckpoint(vmId: VmId, checkpointId: CheckpointId, newName: string): Promise<Checkpoint>;
  applyCheckpoint(
    vmId: VmId,
    checkpointId: CheckpointId,
    input?: ApplyCheckpointInput,
  ): Promise<VmSummary>;
  /** Applies the parent of Now. */
  revertVm(vmId: VmId, input?: ApplyCheckpointInput): Promise<VmSummary>;
  /** Resolves when the checkpoint is gone from the tree; a merge it needs goes on as the returned task. */
  deleteCheckpoint(vmId: VmId, checkpointId: CheckpointId): Promise<{ task: Task | null }>;
  deleteCheckpointSubtree(vmId: VmId, checkpointId: CheckpointId): Promise<{ task: Task | null }>;

  /** The Quick Create gallery: guest images `createVm` can install. */
  listGuestImages(): GuestImageInfo[];
  /** Virtual Machine Connection: what the guest is doing (live while it runs). */
  getGuestConsole(vmId: VmId): GuestConsole;
  /**
   * Virtual Machine Connection of a VM whose guest runs under QEMU: the viewer gets the serial
   * console's recent output (`backlog`) and then what the guest prints, until `disconnect`. Any
   * state; INVALID_STATE for a guest that does not run under QEMU, LIMIT_EXCEEDED beyond
   * `SERIAL_CONSOLE_MAX_VIEWERS` viewers of one VM.
   */
  connectSerialConsole(vmId: VmId, viewer: SerialConsoleViewer): SerialConsoleConnection;
  /**
   * Types into the serial console of a Running QEMU guest (at most
   * `SERIAL_CONSOLE_MAX_INPUT_BYTES` at once); LIMIT_EXCEEDED while the guest has not read what
   * was typed before.
   */
  typeIntoSerialConsole(vmId: VmId, bytes: Uint8Array): void;
  /**
   * Simulated guest faults (a simulation extension, not Hyper-V's): a failing VSS writer, the
   * backup daemon stopped, a guest that ignores Shut Down. Unknown faults or non-boolean values
   * are INVALID_ARGUMENT; the VM's detail comes back with `guestSimulation`.
   */
  setGuestSimulation(vmId: VmId, update: GuestSimulationUpdate): Promise<VmDetail>;

  /** Backup: a Recovery checkpoint (application-consistent when the guest can quiesce, else crash-consistent). */
  createRecoveryCheckpoint(vmId: VmId): Promise<Checkpoint>;
  /** Backup: reads the frozen content of a checkpoint's system disk (at most 4 MiB per call). */
  readCheckpointDisk(
    vmId: VmId,
    checkpointId: CheckpointId,
    offset: number,
    length: number,
  ): Promise<Uint8Array>;
  /** Backup: deletes a Recovery checkpoint (merging as any delete) and records a reference point. */
  convertToReferencePoint(vmId: VmId, checkpointId: CheckpointId): Promise<ReferencePoint>;
  /** Reference points are not checkpoints: they are listed here only. */
  listReferencePoints(vmId: VmId): ReferencePoint[];

  /** Export-VMSnapshot: writes the checkpoint as a VM under `<path>/<VM name>/`; runs as the returned task. */
  exportCheckpoint(vmId: VmId, checkpointId: CheckpointId, input: ExportInput): Promise<Task>;
  /** Export-VM: the VM as it is now (Off or Saved), without its checkpoints; runs as the returned task. */
  exportVm(vmId: VmId, input: ExportInput): Promise<Task>;
  /** Compare-VM -Path: what keeps an export (or a VM folder) from being imported in a mode; changes nothing. */
  compareVm(input: CompareVmInput): Promise<VmCompatibilityReport>;
  /** Import-VM: registers in place, restores (same ID) or copies (new ID) an export; refused on any incompatibility. */
  importVm(input: ImportVmInput): Promise<VmDetail>;

  /** Every `.vhdx`/`.avhdx` file in the data folder, with the VMs and checkpoints that use it. */
  listDisks(): Promise<DiskFileEntry[]>;
  /** Inspect Disk: type, sizes and parent chain of a disk file (a path relative to the data folder, or a full path inside it). */
  inspectDisk(path: string): Promise<DiskInspection>;
  /** New-VHD: a dynamic or fixed `.vhdx` of a size, or a differencing `.vhdx` of a parent no VM uses. */
  createVirtualHardDisk(input: NewVirtualHardDiskInput): Promise<DiskInspection>;
  /** Merge-VHD: folds a differencing disk no VM uses into an ancestor; the merged files go. */
  mergeVirtualHardDisk(input: MergeVirtualHardDiskInput): Promise<DiskInspection>;
  /** Resize-VHD: grows or shrinks (down to its minimum size) a dynamic or differencing disk no VM uses. */
  resizeVirtualHardDisk(input: ResizeVirtualHardDiskInput): Promise<DiskInspection>;
  /** Convert-VHD: the content of a disk no running VM uses in a new dynamic or fixed `.vhdx`. */
  convertVirtualHardDisk(input: ConvertVirtualHardDiskInput): Promise<DiskInspection>;
  /** Optimize-VHD: a dynamic or differencing disk no running VM uses, rewritten without unused blocks. */
  optimizeVirtualHardDisk(input: OptimizeVirtualHardDiskInput): Promise<DiskInspection>;
  /** Finds orphaned `.avhdx` files, chains that disagree with the checkpoint trees and missing files; changes nothing. */
  checkHost(): Promise<HostCheckReport>;
  /** Check Host's Remove: deletes one orphaned disk or file the check reports (Administrators; logged). */
  removeOrphanedFile(path: string): Promise<void>;
  /** Check Host's Attach: an orphaned disk the check reports becomes a new hard drive of an Off VM. */
  attachOrphanedDisk(vmId: VmId, input: AttachOrphanedDiskInput): Promise<VmDetail>;

  /** Get-VMSwitch / Virtual Switch Manager: the Default Switch first, then the others by name. */
  listVirtualSwitches(): VirtualSwitch[];
  /** New-VMSwitch: an Internal or Private switch (External needs a physical adapter: refused). */
  createVirtualSwitch(input: NewVirtualSwitchInput): Promise<VirtualSwitch>;
  /** Rename-VMSwitch / Set-VMSwitch -Notes; the Default Switch cannot be changed. */
  updateVirtualSwitch(switchId: string, update: VirtualSwitchUpdate): Promise<VirtualSwitch>;
  /** Remove-VMSwitch: the adapters connected to it are left "Not connected" first. */
  removeVirtualSwitch(switchId: string): Promise<RemovedVirtualSwitch>;
  /**
   * Connect-VMNetworkAdapter -SwitchName: one adapter (by its ID) or, without one, every adapter of
   * the VM is connected to that switch, running or not.
   */
  connectNetworkAdapter(vmId: VmId, switchId: string, adapterId?: string): Promise<VmDetail>;
  /** Disconnect-VMNetworkAdapter: the adapter (or every adapter) stays, "Not connected". */
  disconnectNetworkAdapter(vmId: VmId, adapterId?: string): Promise<VmDetail>;
  /**
   * Add-VMNetworkAdapter: a new adapter, last in the list; Off, or Running for a generation 2
   * VM's synthetic adapter (vm/networkAdapters.ts).
   */
  addNetworkAdapter(vmId: VmId, input: AddNetworkAdapterInput): Promise<VmDetail>;
  /** Remove-VMNetworkAdapter: by the adapter's ID, under the same rule as adding. */
  removeNetworkAdapter(vmId: VmId, adapterId: string): Promise<VmDetail>;
  /** Rename-VMNetworkAdapter -NewName. */
  renameNetworkAdapter(vmId: VmId, adapterId: string, newName: string): Promise<VmDetail>;
  /** Add-VMScsiController: the next controller number (at most 4); only while Off. */
  addScsiController(vmId: VmId): Promise<VmDetail>;
  /** Remove-VMScsiController -ControllerNumber: an empty controller, only while Off. */
  removeScsiController(vmId: VmId, controllerNumber: number): Promise<VmDetail>;

  listTasks(): Task[];
  getTask(taskId: TaskId): Task;
  /**
   * Resolves when every background task (merges, exports, the automatic starts of VMs when the
   * host opens; not a startup delay still running) has finished.
   */
  whenIdle(): Promise<void>;

  /**
   * The event log (Hyper-V-VMMS Admin): every operation with its time, user, VM, outcome and
   * message, newest first.
   */
  queryEventLog(query?: EventLogQuery): Promise<EventLogPage>;
  /** The same host, acting for `user`: the event log records that user for what it does. */
  withActor(user: string): Host;

  subscribe(listener: (event: HostEvent) => void): () => void;
  /**
   * Stops the host: waits for running tasks to reach a safe point, applies each Running or Paused
   * VM's Automatic Stop Action (Save, TurnOff, ShutDown) and releases files.
   */
  close(): Promise<void>;
}
