import { isEngineError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { HostContext } from '../host/hostContext.js';
import { registerContext } from '../host/hostRegistry.js';
import { TASK_EVENTS } from '../operations/taskEvents.js';
import {
  OPERATIONS,
  POWER_ACTIONS,
  powerActionEvents,
  type NameLookup,
  type OperationEvents,
  type OperationName,
  type VmRef,
} from '../operations/operationCatalog.js';
import { dataFolderOf, userMessage } from '../storage/fileSystemError.js';
import { taskKindOf } from '../tasks/taskRunner.js';
import { allSwitches } from '../network/switchRegistry.js';
import type { CheckpointId, Task, TaskId, VmId } from '../types.js';
import type { HostStopOutcome } from '../vm/stopAction.js';
import { auditedSerialConsole } from './auditedSerialConsole.js';
import { EventIds, vmIdSuffix, type EventDraft, type EventId } from './eventCatalog.js';
import { SYSTEM_USER, type EventLog } from './eventLog.js';

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

/** The automatic checkpoint a Start took, or the one a clean Shut Down removed. */
const automaticCheckpoint = (vm: VmRef, what: 'created' | 'deleted', name: string): EventDraft =>
  info(
    what === 'created' ? EventIds.CheckpointCreated : EventIds.CheckpointDeleted,
    vm,
    'Automatic checkpoint',
    `'${vm.name}' successfully ${what} checkpoint '${name}'. ${vmIdSuffix(vm.id)}`,
  );

/**
 * Who did what: the background tasks (merges, exports) an operation starts are attributed to its
 * user when they finish. A task that finishes before its operation returned waits in `pending`.
 */
export class Audit implements NameLookup {
  private readonly owners = new Map<TaskId, string>();
  private readonly pending = new Map<TaskId, Task>();
  private readonly callsInFlight = new Map<string, number>();

  constructor(
    readonly ctx: HostContext,
    readonly log: EventLog,
  ) {
    ctx.recordEvent = (draft) => void this.log.record(draft, SYSTEM_USER).catch(() => undefined);
    ctx.listeners.add((event) => {
      if (event.type !== 'task-changed' || event.task.status === 'Running') return;
      // A host task on a disk of no VM is recorded by its operation's row (diskOperations.ts).
      if (event.task.vmId === null) return;
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

  vmName(vmId: VmId): string {
    return this.vmRef(vmId)?.name ?? '';
  }

  parentCheckpointName(vmId: VmId): string {
    return this.checkpointName(vmId, this.ctx.vms.get(vmId)?.file.parentCheckpointId ?? null);
  }

  switchName(switchId: string): string {
    const id = String(switchId).toLowerCase();
    return allSwitches(this.ctx).find((s) => s.id === id)?.name ?? String(switchId);
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
    for (const [id, name] of after)
      if (!before.has(id)) drafts.push(automaticCheckpoint(vm, 'created', name));
    for (const [id, name] of before)
      if (!after.has(id)) drafts.push(automaticCheckpoint(vm, 'deleted', name));
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
    if (task.vmId === null) return Promise.resolve();
    const vm = this.vmRef(task.vmId) ?? { id: task.vmId, name: task.vmId };
    return this.log.record(taskEvent(task, vm), user);
  }
}

/** What a finished background task (an export or a disk merge) says in the event log. */
function taskEvent(task: Task, vm: VmRef): EventDraft {
  const events = TASK_EVENTS[taskKindOf(task)];
  const draft = (level: EventDraft['level'], eventId: EventId, message: string): EventDraft => ({
    level,
    eventId,
    vm,
    operation: events.operation,
    outcome: level === 'Information' ? 'Succeeded' : 'Failed',
    message,
  });
  if (task.status !== 'Failed') return draft('Information', events.completed, events.success(vm));
  // Cut short by the host stopping: no error, it resumes when the host starts again.
  if (task.error?.code === 'CANCELLED' && events.interrupted !== undefined)
    return draft('Warning', events.interrupted.eventId, events.interrupted.message(vm));
  return draft('Error', events.failed, events.failure(vm, task.error?.message ?? ''));
}

/** The host's operations before the event log: `close()` tells what the Automatic Stop Actions did. */
export type RawHost = Omit<Host, 'queryEventLog' | 'withActor' | 'close'> & {
  close(): Promise<HostStopOutcome[]>;
};

/** What the host's own Automatic Stop Action did to a VM, recorded as NT AUTHORITY\SYSTEM. */
async function recordHostStop(audit: Audit, outcome: HostStopOutcome): Promise<void> {
  const vm = audit.vmRef(outcome.vmId);
  if (vm === null) return;
  const operation = 'Automatic Stop Action';
  const { eventId, done, verb } = POWER_ACTIONS[outcome.action];
  if (outcome.error !== null) {
    await audit.recordFailure(SYSTEM_USER, vm, outcome.error, (_vm, reason) => ({
      eventId: EventIds.PowerActionFailed,
      operation,
      message: `'${vm.name}' failed to ${verb} as the host stopped. ${reason}`,
    }));
    return;
  }
  for (const name of outcome.removedCheckpoints)
    await audit.log.record(automaticCheckpoint(vm, 'deleted', name), SYSTEM_USER);
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
 * Runs one operation of the catalogue for `user` and records it as its row says: on a VM (its
 * first argument), with the automatic checkpoints it took or removed and a warning its result
 * calls for; or on the host (New virtual machine: the VM is the result).
 */
function recordOperation(
  audit: Audit,
  user: string,
  events: OperationEvents,
  onVm: boolean,
  args: unknown[],
  run: () => Promise<unknown>,
): Promise<unknown> {
  const subject = events.subject?.(audit, ...args) ?? '';
  const failure = (vm: VmRef, reason: string) => ({
    eventId: events.failed,
    operation: events.operation,
    message: events.failure({ vm, subject, args, reason }),
  });
  const succeeded = (vm: VmRef, result: unknown): EventDraft[] => {
    const warning = events.warning?.message({ vm, result }) ?? null;
    return [
      ...(warning === null || events.warning === undefined
        ? []
        : [
            {
              ...info(events.warning.eventId, vm, events.operation, warning),
              level: 'Warning' as const,
            },
          ]),
      info(events.succeeded, vm, events.operation, events.success({ vm, subject, args, result })),
    ];
  };
  if (!onVm) {
    return run().then(
      async (result) => {
        // A virtual switch's events name no VM; New virtual machine's VM is its result.
        const vm = events.aboutNoVm === true ? null : (result as VmRef);
        for (const draft of succeeded(vm ?? { id: '', name: '' }, result))
          await audit.log.record(vm === null ? { ...draft, vm: null } : draft, user);
        return result;
      },
      async (error: unknown) => {
        await audit.recordFailure(user, null, error, failure);
        throw error;
      },
    );
  }
  const vmId = args[0] as VmId;
  const before = events.automaticCheckpoints === true ? audit.checkpointNames(vmId) : null;
  return audit.onVm(
    user,
    vmId,
    run,
    (vm, result) => [
      ...(before === null ? [] : audit.automaticCheckpointDrafts(vm, before)),
      ...succeeded(vm, result),
    ],
    failure,
  );
}

/**
 * The Automatic Start Action's Start of one VM: an ordinary Start (it holds the VM, takes the
 * automatic checkpoint, resumes a Saved VM) by NT AUTHORITY\SYSTEM, with the events of a Start.
 */
export function startAutomatically(raw: RawHost, audit: Audit, vmId: VmId): Promise<unknown> {
  const events = powerActionEvents('start', 'Automatic Start Action');
  return recordOperation(audit, SYSTEM_USER, events, true, [vmId, 'start'], () =>
    raw.changeVmState(vmId, 'start'),
  );
}

/**
 * The host as one user sees it: every operation the catalogue gives events is recorded in the
 * event log with that user, its outcome and a message in Hyper-V's words.
 */
export function auditedHost(raw: RawHost, audit: Audit, user: string): Host {
  const host: Host = {
    ...raw,
    withActor: (other) => auditedHost(raw, audit, other),
    ...auditedSerialConsole(raw, audit, user),
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
    removeOrphanedFile: async (path) => {
      // A file of no VM: recorded without one, in this host's own words.
      const operation = 'Remove orphaned file';
      try {
        await raw.removeOrphanedFile(path);
      } catch (error) {
        await audit.recordFailure(user, null, error, (_vm, reason) => ({
          eventId: EventIds.OrphanedFileRemoveFailed,
          operation,
          message: `Failed to remove the orphaned file '${String(path)}'. ${reason}`,
        }));
        throw error;
      }
      await audit.log.record(
        {
          level: 'Information',
          eventId: EventIds.OrphanedFileRemoved,
          vm: null,
          operation,
          outcome: 'Succeeded',
          message: `The orphaned file '${path}' was removed.`,
        },
        user,
      );
    },
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
  const methods = host as unknown as Record<OperationName, unknown>;
  for (const name of Object.keys(OPERATIONS) as OperationName[]) {
    const row = OPERATIONS[name];
    const recorded = row.events as OperationEvents | ((...args: unknown[]) => OperationEvents);
    if (recorded === undefined) continue;
    const method = (raw as unknown as Record<string, unknown>)[name] as (
      ...args: unknown[]
    ) => Promise<unknown>;
    methods[name] = (...args: unknown[]) =>
      recordOperation(
        audit,
        user,
        typeof recorded === 'function' ? recorded(...args) : recorded,
        row.scope === 'vm',
        args,
        () => method.apply(raw, args),
      );
  }
  registerContext(host, audit.ctx);
  return host;
}
