import { EngineError } from '../errors.js';
import { emit, nowIso, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { FileSystemError, isFileErrorCode, isSystemError } from '../storage/fileSystemError.js';
import type { Task, TaskErrorCode, TaskId } from '../types.js';
import { emitVmChanged } from '../vm/vmView.js';

/**
 * The long operations that go on after their request answered, with the name a task shows and
 * the code of a failure that is neither the engine's own nor a file operation's.
 */
export const TASK_KINDS = {
  merge: { name: 'Merging disks', failureCode: 'MERGE_FAILED' },
  export: { name: 'Exporting virtual machine', failureCode: 'EXPORT_FAILED' },
} as const satisfies Record<string, { name: string; failureCode: TaskErrorCode }>;
export type TaskKind = keyof typeof TASK_KINDS;

/** The kind of a task, by the name the runner gave it (a merge when none matches). */
export function taskKindOf(task: Pick<Task, 'name'>): TaskKind {
  const kinds = Object.keys(TASK_KINDS) as TaskKind[];
  return kinds.find((kind) => TASK_KINDS[kind].name === task.name) ?? 'merge';
}

/** What the work of a task may do to it. */
export interface TaskProgress {
  readonly task: Readonly<Task>;
  /** Moves the task forward to `percent`; only forward, and 100 only when it completes. */
  advance(percent: number): void;
}

export interface TaskSpec {
  kind: TaskKind;
  vm: VmRuntime;
  /** The work: resolves when the task is done, throws when it failed. */
  work: (progress: TaskProgress) => Promise<void>;
  /** What users read of a failure (in Windows' words: see `reportError`). */
  describeFailure: (error: unknown) => string;
  /** Shows the task on its VM (the Status column) as it starts and at every step. */
  show?: (task: Task) => void;
  /** Runs once the task has ended either way, before the VM is announced a last time. */
  ended?: () => void;
}

/** Why a task failed: the engine's code, a file operation's POSIX code, else its kind's own. */
export function taskErrorCode(error: unknown, kind: TaskKind): TaskErrorCode {
  if (error instanceof EngineError) return error.code;
  if ((error instanceof FileSystemError || isSystemError(error)) && isFileErrorCode(error.code))
    return error.code;
  return TASK_KINDS[kind].failureCode;
}

/**
 * A new Running task at 0 %, and the function that changes it and announces each change as a
 * `task-changed` event (the caller registers it in `ctx.tasks`).
 */
export function newRunningTask(
  ctx: HostContext,
  fields: Pick<Task, 'vmId' | 'name'> & Partial<Pick<Task, 'disk'>>,
): { task: Task; changed: (patch: Partial<Task>) => void } {
  const task: Task = {
    id: ctx.ids.newGuid() as TaskId,
    ...fields,
    status: 'Running',
    percentComplete: 0,
    startedAt: nowIso(ctx),
    finishedAt: null,
    error: null,
  };
  const changed = (patch: Partial<Task>): void => {
    Object.assign(task, patch);
    emit(ctx, { type: 'task-changed', task: { ...task } });
  };
  return { task, changed };
}

/**
 * Creates a task, runs its work in the background (awaited by `whenIdle()` and `close()`) and
 * finishes it: Completed at 100 %, or Failed with a typed code and a message for users. Every
 * change is announced as a `task-changed` event and on the VM.
 */
export function runTask(ctx: HostContext, spec: TaskSpec): { task: Task; done: Promise<void> } {
  const { vm } = spec;
  const { task, changed } = newRunningTask(ctx, {
    vmId: vm.file.id,
    name: TASK_KINDS[spec.kind].name,
  });
  ctx.tasks.set(task.id, task);
  spec.show?.(task);
  changed({});
  emitVmChanged(ctx, vm);
  const progress: TaskProgress = {
    task,
    advance: (percent) => {
      if (percent <= task.percentComplete || percent >= 100) return;
      task.percentComplete = percent;
      spec.show?.(task);
      changed({});
      emitVmChanged(ctx, vm);
    },
  };
  const done = (async () => {
    try {
      await spec.work(progress);
      changed({ status: 'Completed', percentComplete: 100, finishedAt: nowIso(ctx) });
    } catch (error) {
      const code = taskErrorCode(error, spec.kind);
      const message = spec.describeFailure(error);
      changed({ status: 'Failed', finishedAt: nowIso(ctx), error: { code, message } });
    } finally {
      spec.ended?.();
      emitVmChanged(ctx, vm);
    }
  })();
  ctx.inFlight.add(done);
  void done.finally(() => ctx.inFlight.delete(done));
  return { task, done };
}
