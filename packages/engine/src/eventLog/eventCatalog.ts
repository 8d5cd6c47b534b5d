import type { EventLevel } from '../types.js';

/**
 * The events this host writes, with their ids. Microsoft does not publish the Hyper-V-VMMS Admin
 * catalogue; the ids follow its ranges (13xxx virtual machine configuration, 18xxx checkpoints and
 * power, 19xxx background disk merges, 20xxx storage), and each id means one thing only here.
 */
export const EventIds = {
  VmCreated: 13002,
  VmDeleted: 13003,
  VmCreateFailed: 13010,
  VmDeleteFailed: 13011,
  /** Import-VM: Hyper-V's own ids for an import are not known; these are this host's, in its 13xxx range. */
  VmImported: 13004,
  VmImportFailed: 13012,
  SettingsChanged: 13020,
  SettingsChangeFailed: 13021,

  CheckpointCreated: 18300,
  CheckpointFailed: 18301,
  ProductionFellBack: 18302,
  RecoveryCheckpointCreated: 18303,
  CheckpointApplied: 18310,
  CheckpointApplyFailed: 18311,
  CheckpointRenamed: 18320,
  CheckpointRenameFailed: 18321,
  CheckpointDeleted: 18330,
  CheckpointDeleteFailed: 18331,
  ReferencePointCreated: 18340,
  ExportStarted: 18350,
  ExportCompleted: 18351,
  ExportFailed: 18352,

  VmStarted: 18500,
  VmTurnedOff: 18502,
  VmShutDown: 18504,
  VmSaved: 18510,
  VmPaused: 18512,
  VmResumed: 18514,
  VmReset: 18516,
  PowerActionFailed: 18560,
  /**
   * A VM's QEMU process ended without being asked (killed, or failed): the VM is Off. Hyper-V's
   * own id for a worker process that ends is not known; this host's, in its 18xxx power range.
   */
  VmEndedUnexpectedly: 18520,
  /**
   * A QEMU guest restored from its saved state whose network adapters could not all be brought to
   * the VM's settings (a removed adapter the guest did not let go of): this host's own id, in its
   * 18xxx power range; Hyper-V restores onto its own devices and has no such step.
   */
  GuestNetworkAdaptersNotSettled: 18522,
  /** Delete Saved State: Hyper-V's own id is not known; this host's, in its 18xxx power range. */
  SavedStateDeleted: 18518,

  MergeCompleted: 19080,
  /** Cut short by the host stopping; it resumes when the host starts again. */
  MergeInterrupted: 19085,
  MergeFailed: 19090,

  PathRefused: 20100,
  /** Check Host's Remove of an orphaned file: this host's own ids (Hyper-V has no Check Host). */
  OrphanedFileRemoved: 20110,
  OrphanedFileRemoveFailed: 20111,
  /**
   * New-VHD and the Edit Virtual Hard Disk wizard on a disk of no VM: this host's own ids in its
   * 20xxx storage range (Hyper-V's image management jobs write no published VMMS event).
   */
  VirtualHardDiskCreated: 20120,
  VirtualHardDiskEdited: 20121,
  VirtualHardDiskEditFailed: 20125,

  /**
   * Virtual switches: Hyper-V records them in its VmSwitch logs, whose ids and texts are not
   * known; these are this host's own, in a range of their own.
   */
  VirtualSwitchCreated: 26000,
  VirtualSwitchChanged: 26001,
  VirtualSwitchRemoved: 26002,
  VirtualSwitchFailed: 26010,

  /**
   * Virtual Machine Connection to a QEMU guest's serial console: Hyper-V's events for a VMConnect
   * session are not known; these are this host's own, in a range of their own.
   */
  SerialConsoleConnected: 27000,
  SerialConsoleDisconnected: 27001,
} as const;
export type EventId = (typeof EventIds)[keyof typeof EventIds];

/** What one event says, before the host adds its number, time, user and source. */
export interface EventDraft {
  level: EventLevel;
  eventId: EventId;
  vm: { id: string; name: string } | null;
  operation: string;
  outcome: 'Succeeded' | 'Failed';
  message: string;
}

/** `(Virtual machine ID 1A2B...)`, as Hyper-V ends its messages about a VM. */
export function vmIdSuffix(vmId: string): string {
  return `(Virtual machine ID ${vmId.toUpperCase()})`;
}
