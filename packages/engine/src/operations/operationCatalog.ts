/**
 * The one table of the host's operations: for each method of `Host`, the permission a user needs,
 * whether it acts on one VM, the label that holds the VM while it runs (what "<label> is in
 * progress" names), the Status column while it shows progress, and how the event log records it
 * (Operation column, event ids, success and failure messages in Hyper-V's words). The wrapper that
 * records events (`eventLog/auditedHost.ts`), the host's VM hold (`createHost`), the state machine,
 * and the server's route rules and VM grants all read it.
 *
 * Sources: the event ids follow the Hyper-V-VMMS Admin ranges (see `eventLog/eventCatalog.ts`);
 * Microsoft does not publish its texts, so the messages are modelled on the ones Hyper-V writes
 * ("'<VM>' successfully created checkpoint '<name>'. (Virtual machine ID <GUID>)"), and the
 * fallback warning is the behaviour spec's proposal (§1.5).
 */
import { fallbackReasonText, isWarnedFallback } from '../checkpoint/checkpointKind.js';
import { EventIds, vmIdSuffix, type EventId } from '../eventLog/eventCatalog.js';
import type { Host } from '../host/host.js';
import type { CheckpointId, VmAction, VmDetail, VmId } from '../types.js';
import { RequiredPermission } from './requiredPermission.js';
import { DISK_OPERATIONS } from './diskOperations.js';
import { SWITCH_OPERATIONS } from './switchOperations.js';

/** Every method of `Host` but the two that are no operation (`withActor`, `close`). */
export type OperationName = Exclude<keyof Host, 'withActor' | 'close'>;
type Args<K extends OperationName> = Parameters<Host[K]>;
type Result<K extends OperationName> = Awaited<ReturnType<Host[K]>>;

export interface VmRef {
  id: string;
  name: string;
}

/** What a message may name that the operation itself changes, read before it runs. */
export interface NameLookup {
  vmName(vmId: VmId): string;
  checkpointName(vmId: VmId, checkpointId: CheckpointId | null): string;
  /** The checkpoint Now hangs from (what a Revert applies). */
  parentCheckpointName(vmId: VmId): string;
  /** A virtual switch's name by its ID (the ID itself when there is none). */
  switchName(switchId: string): string;
}

/** How the event log records an operation. */
export interface OperationEvents<A extends unknown[] = unknown[], R = unknown> {
  /** The event log's Operation column. */
  operation: string;
  succeeded: EventId;
  failed: EventId;
  /** The name the messages use that the operation may change (a checkpoint's old name). */
  subject?: (names: NameLookup, ...args: A) => string;
  success: (about: { vm: VmRef; subject: string; args: A; result: R }) => string;
  failure: (about: { vm: VmRef; subject: string; args: A; reason: string }) => string;
  /** A Warning event before the success, when the result calls for one (null: none). */
  warning?: { eventId: EventId; message: (about: { vm: VmRef; result: R }) => string | null };
  /** The operation may take or remove the VM's automatic checkpoint (Start, Shut Down). */
  automaticCheckpoints?: true;
  /** A host operation about no VM (a virtual switch): its events name none. */
  aboutNoVm?: true;
}

/** Which VMs an operation concerns: one (its first argument), the host, or nothing of any user's. */
export type OperationScope = 'vm' | 'host' | 'shared';

export interface OperationRow<K extends OperationName> {
  permission: RequiredPermission;
  scope: OperationScope;
  /** The label that holds the VM while it runs: "<label> is in progress" to a second operation. */
  busyLabel?: string;
  /** Hyper-V Manager's Status column while it runs: "<label> (45%)". */
  statusLabel?: string;
  /** How the event log records it; absent for reads and for disks of no VM. */
  events?:
    | OperationEvents<Args<K>, Result<K>>
    | ((...args: Args<K>) => OperationEvents<Args<K>, Result<K>>);
}

export type OperationCatalog = { [K in OperationName]: OperationRow<K> };

/** The power actions of Hyper-V Manager's menu: label, event and the words of their messages. */
export const POWER_ACTIONS: Record<
  VmAction,
  { label: string; done: string; verb: string; eventId: EventId }
> = {
  start: {
    label: 'Start',
    done: 'started successfully',
    verb: 'start',
    eventId: EventIds.VmStarted,
  },
  'turn-off': {
    label: 'Turn Off',
    done: 'was turned off',
    verb: 'turn off',
    eventId: EventIds.VmTurnedOff,
  },
  'shut-down': {
    label: 'Shut Down',
    done: 'was shut down',
    verb: 'shut down',
    eventId: EventIds.VmShutDown,
  },
  save: { label: 'Save', done: 'was saved', verb: 'save', eventId: EventIds.VmSaved },
  pause: { label: 'Pause', done: 'was paused', verb: 'pause', eventId: EventIds.VmPaused },
  resume: { label: 'Resume', done: 'was resumed', verb: 'resume', eventId: EventIds.VmResumed },
  reset: { label: 'Reset', done: 'was reset', verb: 'reset', eventId: EventIds.VmReset },
};

/** The events of a power action; `operation` is the Automatic Start Action's own when it starts a VM. */
export function powerActionEvents(
  action: VmAction,
  operation = POWER_ACTIONS[action].label,
): OperationEvents {
  const { done, verb, eventId } = POWER_ACTIONS[action];
  return {
    operation,
    succeeded: eventId,
    failed: EventIds.PowerActionFailed,
    success: ({ vm }) => `'${vm.name}' ${done}. ${vmIdSuffix(vm.id)}`,
    failure: ({ vm, reason }) => `'${vm.name}' failed to ${verb}. ${reason}`,
    automaticCheckpoints: true,
  };
}

/** A change of the VM's settings; `what` says which. */
function settingsEvents<A extends unknown[], R>(
  what: (...args: A) => string,
): OperationEvents<A, R> {
  return {
    operation: 'Settings',
    succeeded: EventIds.SettingsChanged,
    failed: EventIds.SettingsChangeFailed,
    success: ({ vm, args }) =>
      `The settings of '${vm.name}' were changed (${what(...args)}). ${vmIdSuffix(vm.id)}`,
    failure: ({ vm, reason }) => `Failed to modify the settings of '${vm.name}'. ${reason}`,
  };
}

/** The checkpoint an operation names (its second argument), by the name it had before. */
const namedCheckpoint = (names: NameLookup, vmId: VmId, checkpointId: CheckpointId): string =>
  names.checkpointName(vmId, checkpointId);

/** A checkpoint operation that failed: "Checkpoint operation for '<VM>' failed: <what>. <reason>". */
const checkpointFailure = (vm: VmRef, what: string, reason: string): string =>
  `Checkpoint operation for '${vm.name}' failed: ${what}. ${reason}`;

const { Read, ReadHost, ManageCheckpoints, ManageHost } = RequiredPermission;
const read = { permission: Read, scope: 'host' } as const;
const readVm = { permission: Read, scope: 'vm' } as const;

export const OPERATIONS: OperationCatalog = {
  info: read,
  listVms: read,
  getVm: readVm,
  getVmSummary: readVm,
  findVmsByName: read,
  createVm: {
    permission: ManageHost,
    scope: 'host',
    events: {
      operation: 'New virtual machine',
      succeeded: EventIds.VmCreated,
      failed: EventIds.VmCreateFailed,
      success: ({ vm }) => `A new virtual machine '${vm.name}' was created. ${vmIdSuffix(vm.id)}`,
      failure: ({ args: [input], reason }) =>
        `Failed to create virtual machine '${String(input.name)}'. ${reason}`,
    },
  },
  deleteVm: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Delete',
    events: {
      operation: 'Delete virtual machine',
      succeeded: EventIds.VmDeleted,
      failed: EventIds.VmDeleteFailed,
      success: ({ vm }) => `The virtual machine '${vm.name}' was deleted. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, reason }) => `Failed to delete virtual machine '${vm.name}'. ${reason}`,
    },
  },
  deleteSavedState: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Delete Saved State',
    events: {
      operation: 'Delete Saved State',
      succeeded: EventIds.SavedStateDeleted,
      failed: EventIds.PowerActionFailed,
      // Hyper-V's exact message text is not published; worded as this catalogue's other messages.
      success: ({ vm }) => `The saved state of '${vm.name}' was deleted. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, reason }) => `Failed to delete the saved state of '${vm.name}'. ${reason}`,
    },
  },
  // Held under the action's own label (POWER_ACTIONS), by the state machine.
  changeVmState: {
    permission: ManageHost,
    scope: 'vm',
    events: (_vmId, action) => powerActionEvents(action),
  },
  // A simulation extension: the event's words are ours (guestSimulationTypes.ts).
  setGuestSimulation: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Settings',
    events: {
      ...settingsEvents((_vmId, update) =>
        Object.entries(update)
          .map(([fault, on]) => `guest simulation: ${fault} ${on === true ? 'on' : 'off'}`)
          .join(', '),
      ),
      operation: 'Guest simulation',
    },
  },
  updateVmSettings: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Settings',
    events: {
      ...settingsEvents<Args<'updateVmSettings'>, VmDetail>(() => ''),
      subject: (names, vmId) => names.vmName(vmId),
      success: ({ vm, subject: oldName, args: [, update] }) => {
        const renamed = vm.name === oldName ? '' : ` '${oldName}' was renamed to '${vm.name}'.`;
        return `The settings of '${vm.name}' were changed (${Object.keys(update).join(', ')}).${renamed} ${vmIdSuffix(vm.id)}`;
      },
    },
  },
  addHardDiskDrive: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Settings',
    events: settingsEvents((_vmId, input) => `hard disk drive '${input.path}' added`),
  },
  removeHardDiskDrive: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Settings',
    events: settingsEvents((_vmId, location) => `hard disk drive at ${location} removed`),
  },
  setHardDiskDrivePath: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Settings',
    events: settingsEvents(
      (_vmId, location, path) => `hard disk drive at ${location} now uses '${path}'`,
    ),
  },
  listCheckpoints: readVm,
  getCheckpoint: readVm,
  createCheckpoint: {
    permission: ManageCheckpoints,
    scope: 'vm',
    busyLabel: 'Checkpoint',
    statusLabel: 'Creating checkpoint',
    events: {
      operation: 'Create checkpoint',
      succeeded: EventIds.CheckpointCreated,
      failed: EventIds.CheckpointFailed,
      success: ({ vm, result }) =>
        `'${vm.name}' successfully created checkpoint '${result.name}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, reason }) =>
        `Checkpoint operation for '${vm.name}' failed. ${vmIdSuffix(vm.id)} ${reason}`,
      warning: {
        eventId: EventIds.ProductionFellBack,
        message: ({ vm, result: { fallbackReason } }) =>
          isWarnedFallback(fallbackReason)
            ? `Production checkpoints cannot be created for '${vm.name}': ${fallbackReasonText(fallbackReason)}. A standard checkpoint was created instead. ${vmIdSuffix(vm.id)}`
            : null,
      },
    },
  },
  renameCheckpoint: {
    permission: ManageCheckpoints,
    scope: 'vm',
    busyLabel: 'Rename checkpoint',
    events: {
      operation: 'Rename checkpoint',
      succeeded: EventIds.CheckpointRenamed,
      failed: EventIds.CheckpointRenameFailed,
      subject: namedCheckpoint,
      success: ({ vm, subject, result }) =>
        `'${vm.name}' successfully renamed checkpoint '${subject}' to '${result.name}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, subject, reason }) =>
        checkpointFailure(vm, `checkpoint '${subject}' was not renamed`, reason),
    },
  },
  applyCheckpoint: {
    permission: ManageCheckpoints,
    scope: 'vm',
    busyLabel: 'Apply checkpoint',
    statusLabel: 'Applying checkpoint',
    events: {
      operation: 'Apply checkpoint',
      succeeded: EventIds.CheckpointApplied,
      failed: EventIds.CheckpointApplyFailed,
      subject: namedCheckpoint,
      success: ({ vm, subject }) =>
        `'${vm.name}' successfully applied checkpoint '${subject}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, subject, reason }) =>
        checkpointFailure(vm, `checkpoint '${subject}' was not applied`, reason),
    },
  },
  revertVm: {
    permission: ManageCheckpoints,
    scope: 'vm',
    busyLabel: 'Revert',
    statusLabel: 'Applying checkpoint',
    events: {
      operation: 'Revert',
      succeeded: EventIds.CheckpointApplied,
      failed: EventIds.CheckpointApplyFailed,
      subject: (names, vmId) => names.parentCheckpointName(vmId),
      success: ({ vm, subject }) =>
        `'${vm.name}' was reverted to checkpoint '${subject}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, reason }) =>
        checkpointFailure(vm, 'the virtual machine was not reverted', reason),
    },
  },
  deleteCheckpoint: {
    permission: ManageCheckpoints,
    scope: 'vm',
    busyLabel: 'Delete checkpoint',
    events: {
      operation: 'Delete checkpoint',
      succeeded: EventIds.CheckpointDeleted,
      failed: EventIds.CheckpointDeleteFailed,
      subject: namedCheckpoint,
      success: ({ vm, subject }) =>
        `'${vm.name}' successfully deleted checkpoint '${subject}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, subject, reason }) =>
        checkpointFailure(vm, `checkpoint '${subject}' was not deleted`, reason),
    },
  },
  deleteCheckpointSubtree: {
    permission: ManageCheckpoints,
    scope: 'vm',
    busyLabel: 'Delete checkpoint subtree',
    events: {
      operation: 'Delete checkpoint subtree',
      succeeded: EventIds.CheckpointDeleted,
      failed: EventIds.CheckpointDeleteFailed,
      subject: namedCheckpoint,
      success: ({ vm, subject }) =>
        `'${vm.name}' successfully deleted checkpoint '${subject}' and its subtree. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, subject, reason }) =>
        checkpointFailure(vm, `checkpoint '${subject}' and its subtree were not deleted`, reason),
    },
  },
  listGuestImages: { permission: Read, scope: 'shared' },
  getGuestConsole: readVm,
  // Output from and input to a VM are separate rights in Hyper-V (hypervisor/qemuSerialConsole.ts):
  // whoever sees the VM may watch its console; typing into the guest changes it, as power does.
  connectSerialConsole: readVm,
  typeIntoSerialConsole: { permission: ManageHost, scope: 'vm' },
  createRecoveryCheckpoint: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Backup checkpoint',
    statusLabel: 'Creating checkpoint',
    events: {
      operation: 'Create recovery checkpoint',
      succeeded: EventIds.RecoveryCheckpointCreated,
      failed: EventIds.CheckpointFailed,
      success: ({ vm, result }) =>
        `'${vm.name}' successfully created recovery checkpoint '${result.name}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, reason }) =>
        `Checkpoint operation for '${vm.name}' failed. ${vmIdSuffix(vm.id)} ${reason}`,
    },
  },
  readCheckpointDisk: { permission: ReadHost, scope: 'vm' },
  convertToReferencePoint: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Convert to reference point',
    events: {
      operation: 'Convert to reference point',
      succeeded: EventIds.ReferencePointCreated,
      failed: EventIds.CheckpointDeleteFailed,
      subject: namedCheckpoint,
      success: ({ vm, subject }) =>
        `'${vm.name}' converted recovery checkpoint '${subject}' to a reference point. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, subject, reason }) =>
        checkpointFailure(
          vm,
          `checkpoint '${subject}' was not converted to a reference point`,
          reason,
        ),
    },
  },
  listReferencePoints: readVm,
  exportCheckpoint: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Export',
    statusLabel: 'Exporting virtual machine',
    events: {
      operation: 'Export',
      succeeded: EventIds.ExportStarted,
      failed: EventIds.ExportFailed,
      subject: namedCheckpoint,
      success: ({ vm, subject, args: [, , input] }) =>
        `'${vm.name}' started exporting checkpoint '${subject}' to '${String(input.path)}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, subject, reason }) =>
        `Failed to export checkpoint '${subject}' of '${vm.name}'. ${reason}`,
    },
  },
  exportVm: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Export',
    statusLabel: 'Exporting virtual machine',
    events: {
      operation: 'Export',
      succeeded: EventIds.ExportStarted,
      failed: EventIds.ExportFailed,
      success: ({ vm, args: [, input] }) =>
        `'${vm.name}' started exporting to '${String(input.path)}'. ${vmIdSuffix(vm.id)}`,
      failure: ({ vm, reason }) => `Failed to export '${vm.name}'. ${reason}`,
    },
  },
  // Compare-VM reads any folder of the data folder: an Administrator's, as Import-VM is.
  compareVm: { permission: ManageHost, scope: 'host' },
  importVm: {
    permission: ManageHost,
    scope: 'host',
    events: {
      // Hyper-V's Operation text and messages for an import are not known; these are ours.
      operation: 'Import virtual machine',
      succeeded: EventIds.VmImported,
      failed: EventIds.VmImportFailed,
      success: ({ vm, args: [input] }) =>
        `The virtual machine '${vm.name}' was imported from '${String(input.path)}' (${input.mode ?? 'register'}). ${vmIdSuffix(vm.id)}`,
      failure: ({ args: [input], reason }) =>
        `Failed to import a virtual machine from '${String(input.path)}'. ${reason}`,
    },
  },
  listDisks: { permission: ReadHost, scope: 'host' },
  // Reading a disk changes nothing; only a path refused for leaving the storage is logged.
  inspectDisk: { permission: ReadHost, scope: 'host' },
  // Disks of no VM (New-VHD and the Edit Virtual Hard Disk wizard): diskOperations.ts.
  ...DISK_OPERATIONS,
  // Set-VMHost: the default folders of Hyper-V Settings.
  updateHostSettings: { permission: ManageHost, scope: 'host' },
  checkHost: { permission: ReadHost, scope: 'host' },
  // Check Host's actions on orphaned files (issue 17); Remove is logged by `auditedHost`.
  removeOrphanedFile: { permission: ManageHost, scope: 'host' },
  attachOrphanedDisk: {
    permission: ManageHost,
    scope: 'vm',
    busyLabel: 'Settings',
    events: settingsEvents(
      (_vmId, input) => `orphaned disk '${input.path}' attached as a hard disk drive`,
    ),
  },
  // Virtual switches and a VM's network adapter: switchOperations.ts.
  ...SWITCH_OPERATIONS,
  listTasks: read,
  getTask: read,
  whenIdle: { permission: Read, scope: 'shared' },
  queryEventLog: { permission: ReadHost, scope: 'host' },
  subscribe: read,
};

/** The label an operation holds its VM under (what "<label> is in progress" names). */
export function busyLabel(name: OperationName): string {
  return OPERATIONS[name].busyLabel ?? name;
}

/** The Status column's label of an operation that shows progress ("Creating checkpoint"). */
export function statusLabel(name: OperationName): string {
  return OPERATIONS[name].statusLabel ?? name;
}
