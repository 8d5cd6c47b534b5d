import { isEngineError } from '../errors.js';
import type { Host } from '../host.js';
import type { HostContext } from '../host/hostContext.js';
import { registerContext } from '../host/hostRegistry.js';
import { dataFolderOf, userMessage } from '../storage/fileSystemError.js';
import type { CheckpointId, Task, TaskId, VmAction, VmId } from '../types.js';
import { auditedDriveMethods } from './auditedDrives.js';
import type { HostStopOutcome } from '../vm/stopAction.js';
import { EventIds, vmIdSuffix, type EventDraft, type EventId } from './eventCatalog.js';
import { SYSTEM_USER, type EventLog } from './eventLog.js';

interface VmRef {
  id: string;
  name: string;
}

const POWER: Record<VmAction, { done: string; verb: string; eventId: EventId }> = {
  start: { done: 'started successfully', verb: 'start', eventId: EventIds.VmStarted },
  'turn-off': { done: 'was turned off', verb: 'turn off', eventId: EventIds.VmTurnedOff },
  'shut-down': { done: 'was shut down', verb: 'shut down', eventId: EventIds.VmShutDown },
  save: { done: 'was saved', verb: 'save', eventId: EventIds.VmSaved },
  pause: { done: 'was paused', verb: 'pause', eventId: EventIds.VmPaused },
  resume: { done: 'was resumed', verb: 'resume', eventId: EventIds.VmResumed },
  reset: { done: 'was reset', verb: 'reset', eventId: EventIds.VmReset },
};

const POWER_OPERATION: Record<VmAction, string> = {
  start: 'Start',
  'turn-off': 'Turn Off',
  'shut-down': 'Shut Down',
  save: 'Save',
  pause: 'Pause',
  resume: 'Resume',
  reset: 'Reset',
};

function isOutsideStorage(error: unknown): boolean {
  return isEngineError(error, 'INVALID_ARGUMENT') && error.details.reason === 'outside-storage';
}

const info = (eventId: EventId, vm: VmRef, operation: string, message: string): EventDraft => ({
  level: 'Information',
  eventId,
  vm,
  operation,
  outcome: 'Succeeded',
  message,
});

/**
 * Who did what: the background tasks (merges, exports) an operation starts are attributed to its
 * user when they finish. A task that finishes before its operation returned waits in `pending`.
 */
export class Audit {
  private readonly owners = new Map<TaskId, string>();
  private readonly pending = new Map<TaskId, Task>();
  private readonly callsInFlight = new Map<string, number>();

  constructor(
    readonly ctx: HostContext,
    readonly log: EventLog,
  ) {
    ctx.listeners.add((event) => {
      if (event.type !== 'task-changed' || event.task.status === 'Running') return;
      const owner = this.owners.get(event.task.id);
      this.owners.delete(event.task.id);
      if (owner !== undefined) void this.recordTask(event.task, owner);
      else if ((this.callsInFlight.get(event.task.vmId) ?? 0) > 0)
        this.pending.set(event.task.id, event.task);
      else void this.recordTask(event.task, SYSTEM_USER);
    });
  }

  vmRef(vmId: VmId): VmRef | null {
    // A deleted VM whose disks still merge keeps its name for the merge's event.
    const vm = this.ctx.vms.get(vmId) ?? this.ctx.deletingVms.get(vmId);
    return vm === undefined ? null : { id: vm.file.id, name: vm.file.name };
  }

  checkpointName(vmId: VmId, checkpointId: CheckpointId | null): string {
    const vm = this.ctx.vms.get(vmId);
    const node = vm?.file.checkpoints.find((c) => c.id === checkpointId);
    return node?.name ?? String(checkpointId);
  }

  /** Names of the VM's checkpoints by id, to see what an operation added or removed. */
  checkpointNames(vmId: VmId): Map<string, string> {
    const vm = this.ctx.vms.get(vmId);
    return new Map((vm?.file.checkpoints ?? []).map((c) => [c.id, c.name]));
  }

  /** The automatic checkpoint a Start took, or the one a clean Shut Down removed. */
  automaticCheckpointDrafts(vm: VmRef, before: Map<string, string>): EventDraft[] {
    const after = this.checkpointNames(vm.id as VmId);
    const drafts: EventDraft[] = [];
    for (const [id, name] of after) {
      if (before.has(id)) continue;
      drafts.push(
        info(
          EventIds.CheckpointCreated,
          vm,
          'Automatic checkpoint',
          `'${vm.name}' successfully created checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
        ),
      );
    }
    for (const [id, name] of before) {
      if (after.has(id)) continue;
      drafts.push(
        info(
          EventIds.CheckpointDeleted,
          vm,
          'Automatic checkpoint',
          `'${vm.name}' successfully deleted checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
        ),
      );
    }
    return drafts;
  }

  /** Runs one operation on a VM and records its outcome; the tasks it starts belong to `user`. */
  async onVm<T>(
    user: string,
    vmId: VmId,
    run: () => Promise<T>,
    success: (vm: VmRef, result: T) => EventDraft[],
    failure: (vm: VmRef, reason: string) => Omit<EventDraft, 'vm' | 'outcome' | 'level'>,
  ): Promise<T> {
    const before = this.vmRef(vmId);
    const tasksBefore = new Set(this.ctx.tasks.keys());
    this.callsInFlight.set(vmId, (this.callsInFlight.get(vmId) ?? 0) + 1);
    try {
      const result = await run();
      if (before !== null) {
        const after = this.vmRef(vmId) ?? before;
        for (const draft of success(after, result)) await this.log.record(draft, user);
      }
      return result;
    } catch (error) {
      if (before !== null) await this.recordFailure(user, before, error, failure);
      throw error;
    } finally {
      this.claimTasks(vmId, tasksBefore, user);
    }
  }

  async recordFailure(
    user: string,
    vm: VmRef | null,
    error: unknown,
    failure: (vm: VmRef, reason: string) => Omit<EventDraft, 'vm' | 'outcome' | 'level'>,
  ): Promise<void> {
    const described = failure(
      vm ?? { id: '', name: '' },
      userMessage(error, dataFolderOf(this.ctx.dataLocation)),
    );
    const refused = isOutsideStorage(error);
    await this.log.record(
      {
        ...described,
        vm,
        outcome: 'Failed',
        level: refused ? 'Warning' : 'Error',
        eventId: refused ? EventIds.PathRefused : described.eventId,
      },
      user,
    );
  }

  private claimTasks(vmId: VmId, before: Set<TaskId>, user: string): void {
    for (const task of this.ctx.tasks.values()) {
      if (before.has(task.id) || task.vmId !== vmId) continue;
      const finished = this.pending.get(task.id);
      if (finished !== undefined) {
        this.pending.delete(task.id);
        void this.recordTask(finished, user);
      } else if (task.status === 'Running') {
        this.owners.set(task.id, user);
      }
    }
    const calls = (this.callsInFlight.get(vmId) ?? 1) - 1;
    if (calls > 0) {
      this.callsInFlight.set(vmId, calls);
      return;
    }
    this.callsInFlight.delete(vmId);
    // Tasks of this VM that no operation started (e.g. resumed merges) are the host's own.
    for (const [id, task] of this.pending) {
      if (task.vmId !== vmId) continue;
      this.pending.delete(id);
      void this.recordTask(task, SYSTEM_USER);
    }
  }

  private recordTask(task: Task, user: string): Promise<unknown> {
    const vm = this.vmRef(task.vmId) ?? { id: task.vmId, name: task.vmId };
    return this.log.record(taskEvent(task, vm), user);
  }
}

/** A task that did not finish: an error, or a warning when it only waits for the host's next start. */
const unfinished = (
  level: 'Warning' | 'Error',
  eventId: EventId,
  vm: VmRef,
  operation: string,
  message: string,
): EventDraft => ({ level, eventId, vm, operation, outcome: 'Failed', message });

/** What a finished background task (an export or a disk merge) says in the event log. */
function taskEvent(task: Task, vm: VmRef): EventDraft {
  const reason = task.error?.message ?? '';
  const merge = `The background disk merge for '${vm.name}'`;
  if (task.name.startsWith('Export')) {
    return task.status === 'Failed'
      ? unfinished(
          'Error',
          EventIds.ExportFailed,
          vm,
          'Export',
          `Failed to export '${vm.name}'. ${reason}`.trim(),
        )
      : info(
          EventIds.ExportCompleted,
          vm,
          'Export',
          `'${vm.name}' was exported successfully. ${vmIdSuffix(vm.id)}`,
        );
  }
  if (task.status !== 'Failed')
    return info(
      EventIds.MergeCompleted,
      vm,
      'Merge',
      `${merge} has completed successfully. ${vmIdSuffix(vm.id)}`,
    );
  // Cut short by the host stopping: no error, it resumes when the host starts again.
  return task.error?.code === 'CANCELLED'
    ? unfinished(
        'Warning',
        EventIds.MergeInterrupted,
        vm,
        'Merge',
        `${merge} was interrupted because the host is stopping; it resumes when the host starts again.`,
      )
    : unfinished('Error', EventIds.MergeFailed, vm, 'Merge', `${merge} failed. ${reason}`.trim());
}

/** The host's operations before the event log: `close()` tells what the Automatic Stop Actions did. */
export type RawHost = Omit<Host, 'queryEventLog' | 'withActor' | 'close'> & {
  close(): Promise<HostStopOutcome[]>;
};

const HOST_STOPPING: Record<HostStopOutcome['action'], { eventId: EventId; done: string }> = {
  save: { eventId: EventIds.VmSaved, done: 'was saved' },
  'turn-off': { eventId: EventIds.VmTurnedOff, done: 'was turned off' },
  'shut-down': { eventId: EventIds.VmShutDown, done: 'was shut down' },
};

/** What the host's own Automatic Stop Action did to a VM, recorded as NT AUTHORITY\SYSTEM. */
async function recordHostStop(audit: Audit, outcome: HostStopOutcome): Promise<void> {
  const vm = audit.vmRef(outcome.vmId);
  if (vm === null) return;
  const operation = 'Automatic Stop Action';
  const { eventId, done } = HOST_STOPPING[outcome.action];
  if (outcome.error !== null) {
    const verb = POWER[outcome.action].verb;
    await audit.recordFailure(SYSTEM_USER, vm, outcome.error, (_vm, reason) => ({
      eventId: EventIds.PowerActionFailed,
      operation,
      message: `'${vm.name}' failed to ${verb} as the host stopped. ${reason}`,
    }));
    return;
  }
  for (const name of outcome.removedCheckpoints) {
    await audit.log.record(
      info(
        EventIds.CheckpointDeleted,
        vm,
        'Automatic checkpoint',
        `'${vm.name}' successfully deleted checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
      ),
      SYSTEM_USER,
    );
  }
  const draft = info(
    eventId,
    vm,
    operation,
    `'${vm.name}' ${done}: the host is stopping. ${vmIdSuffix(vm.id)}`,
  );
  if (outcome.notShutDown !== null) {
    // The guest could not be shut down: a turn-off it did not ask for is worth a warning.
    draft.level = 'Warning';
    draft.message = `'${vm.name}' ${done}: the host is stopping and it could not be shut down. ${outcome.notShutDown.message} ${vmIdSuffix(vm.id)}`;
  }
  await audit.log.record(draft, SYSTEM_USER);
}

/**
 * The Automatic Start Action's Start of one VM: an ordinary Start (it holds the VM, takes the
 * automatic checkpoint, resumes a Saved VM) by NT AUTHORITY\SYSTEM, with the events of a Start.
 */
export function startAutomatically(raw: RawHost, audit: Audit, vmId: VmId): Promise<unknown> {
  const before = audit.checkpointNames(vmId);
  return audit.onVm(
    SYSTEM_USER,
    vmId,
    () => raw.changeVmState(vmId, 'start'),
    (vm) => [
      ...audit.automaticCheckpointDrafts(vm, before),
      info(
        EventIds.VmStarted,
        vm,
        'Automatic Start Action',
        `'${vm.name}' ${POWER.start.done}. ${vmIdSuffix(vm.id)}`,
      ),
    ],
    (vm, reason) => ({
      eventId: EventIds.PowerActionFailed,
      operation: 'Automatic Start Action',
      message: `'${vm.name}' failed to ${POWER.start.verb}. ${reason}`,
    }),
  );
}

/**
 * The host as one user sees it: every operation that changes something is recorded in the event
 * log with that user, its outcome and a message in Hyper-V's words.
 */
export function auditedHost(raw: RawHost, audit: Audit, user: string): Host {
  const checkpointName = (vmId: VmId, id: CheckpointId | null): string =>
    audit.checkpointName(vmId, id);
  const host: Host = {
    ...raw,
    withActor: (other) => auditedHost(raw, audit, other),
    close: async () => {
      // The Automatic Stop Actions are the host's own doing.
      for (const outcome of await raw.close()) await recordHostStop(audit, outcome);
      await audit.log.flushed();
    },
    queryEventLog: (query) => {
      try {
        return Promise.resolve(audit.log.query(query));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },

    createVm: async (input) => {
      try {
        const vm = await raw.createVm(input);
        await audit.log.record(
          info(
            EventIds.VmCreated,
            vm,
            'New virtual machine',
            `A new virtual machine '${vm.name}' was created. ${vmIdSuffix(vm.id)}`,
          ),
          user,
        );
        return vm;
      } catch (error) {
        await audit.recordFailure(user, null, error, (_vm, reason) => ({
          eventId: EventIds.VmCreateFailed,
          operation: 'New virtual machine',
          message: `Failed to create virtual machine '${String(input.name)}'. ${reason}`,
        }));
        throw error;
      }
    },
    deleteVm: (vmId) =>
      audit.onVm(
        user,
        vmId,
        () => raw.deleteVm(vmId),
        (vm) => [
          info(
            EventIds.VmDeleted,
            vm,
            'Delete virtual machine',
            `The virtual machine '${vm.name}' was deleted. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.VmDeleteFailed,
          operation: 'Delete virtual machine',
          message: `Failed to delete virtual machine '${vm.name}'. ${reason}`,
        }),
      ),
    changeVmState: (vmId, action) => {
      const before = audit.checkpointNames(vmId);
      return audit.onVm(
        user,
        vmId,
        () => raw.changeVmState(vmId, action),
        (vm) => [
          ...audit.automaticCheckpointDrafts(vm, before),
          info(
            POWER[action].eventId,
            vm,
            POWER_OPERATION[action],
            `'${vm.name}' ${POWER[action].done}. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.PowerActionFailed,
          operation: POWER_OPERATION[action],
          message: `'${vm.name}' failed to ${POWER[action].verb}. ${reason}`,
        }),
      );
    },
    updateVmSettings: (vmId, update) => {
      const oldName = audit.vmRef(vmId)?.name ?? '';
      return audit.onVm(
        user,
        vmId,
        () => raw.updateVmSettings(vmId, update),
        (vm) => {
          const changed = Object.keys(update).join(', ');
          const renamed = vm.name === oldName ? '' : ` '${oldName}' was renamed to '${vm.name}'.`;
          return [
            info(
              EventIds.SettingsChanged,
              vm,
              'Settings',
              `The settings of '${vm.name}' were changed (${changed}).${renamed} ${vmIdSuffix(vm.id)}`,
            ),
          ];
        },
        (vm, reason) => ({
          eventId: EventIds.SettingsChangeFailed,
          operation: 'Settings',
          message: `Failed to modify the settings of '${vm.name}'. ${reason}`,
        }),
      );
    },

    createCheckpoint: (vmId, input) =>
      audit.onVm(
        user,
        vmId,
        () => raw.createCheckpoint(vmId, input),
        (vm, checkpoint) => {
          const drafts = [
            info(
              EventIds.CheckpointCreated,
              vm,
              'Create checkpoint',
              `'${vm.name}' successfully created checkpoint '${checkpoint.name}'. ${vmIdSuffix(vm.id)}`,
            ),
          ];
          // An Off VM has nothing to quiesce: its disk-only checkpoint is no fallback worth a warning.
          const fellBack = /^fell back to Standard: (.*)$/.exec(checkpoint.note ?? '');
          if (fellBack !== null && checkpoint.vmState !== 'Off') {
            drafts.unshift({
              level: 'Warning',
              eventId: EventIds.ProductionFellBack,
              vm,
              operation: 'Create checkpoint',
              outcome: 'Succeeded',
              message: `Production checkpoints cannot be created for '${vm.name}': ${fellBack[1] ?? ''}. A standard checkpoint was created instead. ${vmIdSuffix(vm.id)}`,
            });
          }
          return drafts;
        },
        (vm, reason) => ({
          eventId: EventIds.CheckpointFailed,
          operation: 'Create checkpoint',
          message: `Checkpoint operation for '${vm.name}' failed. ${vmIdSuffix(vm.id)} ${reason}`,
        }),
      ),
    renameCheckpoint: (vmId, checkpointId, newName) => {
      const oldName = checkpointName(vmId, checkpointId);
      return audit.onVm(
        user,
        vmId,
        () => raw.renameCheckpoint(vmId, checkpointId, newName),
        (vm, checkpoint) => [
          info(
            EventIds.CheckpointRenamed,
            vm,
            'Rename checkpoint',
            `'${vm.name}' successfully renamed checkpoint '${oldName}' to '${checkpoint.name}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointRenameFailed,
          operation: 'Rename checkpoint',
          message: `Checkpoint operation for '${vm.name}' failed: checkpoint '${oldName}' was not renamed. ${reason}`,
        }),
      );
    },
    applyCheckpoint: (vmId, checkpointId, input) => {
      const name = checkpointName(vmId, checkpointId);
      return audit.onVm(
        user,
        vmId,
        () => raw.applyCheckpoint(vmId, checkpointId, input),
        (vm) => [
          info(
            EventIds.CheckpointApplied,
            vm,
            'Apply checkpoint',
            `'${vm.name}' successfully applied checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointApplyFailed,
          operation: 'Apply checkpoint',
          message: `Checkpoint operation for '${vm.name}' failed: checkpoint '${name}' was not applied. ${reason}`,
        }),
      );
    },
    revertVm: (vmId, input) => {
      const name = checkpointName(vmId, audit.ctx.vms.get(vmId)?.file.parentCheckpointId ?? null);
      return audit.onVm(
        user,
        vmId,
        () => raw.revertVm(vmId, input),
        (vm) => [
          info(
            EventIds.CheckpointApplied,
            vm,
            'Revert',
            `'${vm.name}' was reverted to checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointApplyFailed,
          operation: 'Revert',
          message: `Checkpoint operation for '${vm.name}' failed: the virtual machine was not reverted. ${reason}`,
        }),
      );
    },
    deleteCheckpoint: (vmId, checkpointId) => {
      const name = checkpointName(vmId, checkpointId);
      return audit.onVm(
        user,
        vmId,
        () => raw.deleteCheckpoint(vmId, checkpointId),
        (vm) => [
          info(
            EventIds.CheckpointDeleted,
            vm,
            'Delete checkpoint',
            `'${vm.name}' successfully deleted checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointDeleteFailed,
          operation: 'Delete checkpoint',
          message: `Checkpoint operation for '${vm.name}' failed: checkpoint '${name}' was not deleted. ${reason}`,
        }),
      );
    },
    deleteCheckpointSubtree: (vmId, checkpointId) => {
      const name = checkpointName(vmId, checkpointId);
      return audit.onVm(
        user,
        vmId,
        () => raw.deleteCheckpointSubtree(vmId, checkpointId),
        (vm) => [
          info(
            EventIds.CheckpointDeleted,
            vm,
            'Delete checkpoint subtree',
            `'${vm.name}' successfully deleted checkpoint '${name}' and its subtree. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointDeleteFailed,
          operation: 'Delete checkpoint subtree',
          message: `Checkpoint operation for '${vm.name}' failed: checkpoint '${name}' and its subtree were not deleted. ${reason}`,
        }),
      );
    },
    createRecoveryCheckpoint: (vmId) =>
      audit.onVm(
        user,
        vmId,
        () => raw.createRecoveryCheckpoint(vmId),
        (vm, checkpoint) => [
          info(
            EventIds.RecoveryCheckpointCreated,
            vm,
            'Create recovery checkpoint',
            `'${vm.name}' successfully created recovery checkpoint '${checkpoint.name}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointFailed,
          operation: 'Create recovery checkpoint',
          message: `Checkpoint operation for '${vm.name}' failed. ${vmIdSuffix(vm.id)} ${reason}`,
        }),
      ),
    convertToReferencePoint: (vmId, checkpointId) => {
      const name = checkpointName(vmId, checkpointId);
      return audit.onVm(
        user,
        vmId,
        () => raw.convertToReferencePoint(vmId, checkpointId),
        (vm) => [
          info(
            EventIds.ReferencePointCreated,
            vm,
            'Convert to reference point',
            `'${vm.name}' converted recovery checkpoint '${name}' to a reference point. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.CheckpointDeleteFailed,
          operation: 'Convert to reference point',
          message: `Checkpoint operation for '${vm.name}' failed: checkpoint '${name}' was not converted to a reference point. ${reason}`,
        }),
      );
    },
    exportCheckpoint: (vmId, checkpointId, input) => {
      const name = checkpointName(vmId, checkpointId);
      return audit.onVm(
        user,
        vmId,
        () => raw.exportCheckpoint(vmId, checkpointId, input),
        (vm) => [
          info(
            EventIds.ExportStarted,
            vm,
            'Export',
            `'${vm.name}' started exporting checkpoint '${name}' to '${String(input.path)}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.ExportFailed,
          operation: 'Export',
          message: `Failed to export checkpoint '${name}' of '${vm.name}'. ${reason}`,
        }),
      );
    },
    exportVm: (vmId, input) =>
      audit.onVm(
        user,
        vmId,
        () => raw.exportVm(vmId, input),
        (vm) => [
          info(
            EventIds.ExportStarted,
            vm,
            'Export',
            `'${vm.name}' started exporting to '${String(input.path)}'. ${vmIdSuffix(vm.id)}`,
          ),
        ],
        (vm, reason) => ({
          eventId: EventIds.ExportFailed,
          operation: 'Export',
          message: `Failed to export '${vm.name}'. ${reason}`,
        }),
      ),
    ...auditedDriveMethods(raw, audit, user),
    // Disks of no VM: the VMMS log records VM operations only.
    createVirtualHardDisk: (input) => raw.createVirtualHardDisk(input),
    mergeVirtualHardDisk: (input) => raw.mergeVirtualHardDisk(input),
    resizeVirtualHardDisk: (input) => raw.resizeVirtualHardDisk(input),
    inspectDisk: async (path) => {
      try {
        return await raw.inspectDisk(path);
      } catch (error) {
        // Reading a disk changes nothing; a path refused for leaving the host's storage is worth a warning.
        if (isOutsideStorage(error)) {
          await audit.recordFailure(user, null, error, (_vm, reason) => ({
            eventId: EventIds.PathRefused,
            operation: 'Inspect disk',
            message: reason,
          }));
        }
        throw error;
      }
    },
  };
  registerContext(host, audit.ctx);
  return host;
}
