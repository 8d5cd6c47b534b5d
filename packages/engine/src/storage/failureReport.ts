import type { HostErrorLog } from '../ports.js';
import { dataFolderOf, needsLogging, toUserError, userMessage } from './fileSystemError.js';

/**
 * Where a failure is told: its detail (absolute paths included) to the host's log port, and to
 * users only in Windows' words with paths relative to the data folder (see `fileSystemError.ts`).
 * `HostContext` is one; so is what a guest knows of its host.
 */
export interface FailureReporting {
  logError: HostErrorLog;
  /** The absolute data folder, or ":memory:". */
  dataLocation: string;
}

function logFailure(reporting: FailureReporting, what: string, error: unknown): void {
  if (!needsLogging(error)) return;
  reporting.logError(`${what}: ${error instanceof Error ? error.message : String(error)}`, error);
}

/** What users see of a failure; its detail goes to the log port. */
export function reportError(reporting: FailureReporting, what: string, error: unknown): string {
  logFailure(reporting, what, error);
  return userMessage(error, dataFolderOf(reporting.dataLocation));
}

/**
 * Every method of `target`, with what it throws made fit for users: engine errors as they are,
 * a file-system error in Windows' words without host paths (see `toUserError`); the detail of
 * anything but an engine error goes to the log port first.
 */
export function shieldErrors<T extends object>(target: T, reporting: FailureReporting): T {
  const hide = (method: string, error: unknown): Error => {
    logFailure(reporting, `${method} failed`, error);
    return toUserError(error, dataFolderOf(reporting.dataLocation));
  };
  const shielded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      shielded[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    shielded[name] = (...args: unknown[]): unknown => {
      let result: unknown;
      try {
        result = method.apply(target, args);
      } catch (error) {
        throw hide(name, error);
      }
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          throw hide(name, error);
        });
      return result;
    };
  }
  return shielded as T;
}
