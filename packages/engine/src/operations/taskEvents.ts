/**
 * How the event log records a background task (a merge, an export) when it ends
 * (`tasks/taskRunner.ts`); the same sources as the operation catalogue's messages.
 */
import { EventIds, vmIdSuffix, type EventId } from '../eventLog/eventCatalog.js';
import type { TaskKind } from '../tasks/taskRunner.js';

/** The VM a task's entry names. */
interface VmRef {
  id: string;
  name: string;
}

/** How the event log records a background task when it ends (`tasks/taskRunner.ts`). */
export interface TaskEvents {
  operation: string;
  completed: EventId;
  failed: EventId;
  success: (vm: VmRef) => string;
  failure: (vm: VmRef, reason: string) => string;
  /** Cut short by the host stopping and resumed at its next start: a warning, not a failure. */
  interrupted?: { eventId: EventId; message: (vm: VmRef) => string };
}

const mergeOf = (vm: VmRef): string => `The background disk merge for '${vm.name}'`;

export const TASK_EVENTS: Record<TaskKind, TaskEvents> = {
  merge: {
    operation: 'Merge',
    completed: EventIds.MergeCompleted,
    failed: EventIds.MergeFailed,
    success: (vm) => `${mergeOf(vm)} has completed successfully. ${vmIdSuffix(vm.id)}`,
    failure: (vm, reason) => `${mergeOf(vm)} failed. ${reason}`.trim(),
    interrupted: {
      eventId: EventIds.MergeInterrupted,
      message: (vm) =>
        `${mergeOf(vm)} was interrupted because the host is stopping; it resumes when the host starts again.`,
    },
  },
  export: {
    operation: 'Export',
    completed: EventIds.ExportCompleted,
    failed: EventIds.ExportFailed,
    success: (vm) => `'${vm.name}' was exported successfully. ${vmIdSuffix(vm.id)}`,
    failure: (vm, reason) => `Failed to export '${vm.name}'. ${reason}`.trim(),
  },
};
