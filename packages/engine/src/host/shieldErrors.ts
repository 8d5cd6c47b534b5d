import { dataFolderOf, needsLogging, toUserError } from '../storage/fileSystemError.js';
import type { HostContext } from './hostContext.js';

/**
 * Every method of the host, with what it throws made fit for users: engine errors as they are,
 * a file-system error in Windows' words without host paths (see `toUserError`); the detail of
 * anything but an engine error goes to the log port first.
 */
export function shieldErrors<T extends object>(target: T, ctx: HostContext): T {
  const hide = (method: string, error: unknown): Error => {
    if (needsLogging(error))
      ctx.logError(
        `${method} failed: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    return toUserError(error, dataFolderOf(ctx.dataLocation));
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
