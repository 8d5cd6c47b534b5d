import { MERGE_SIDECAR_SUFFIX } from '../disk/diskLibrary.js';
import { EngineError, ErrorCode } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { differencingDiskPath } from '../persistence/layout.js';

/** Names tried before giving up (each one a new GUID). */
const ATTEMPTS = 16;

/**
 * A name for a new differencing disk of `base` (`<base>_<GUID>.avhdx`, as Hyper-V names them)
 * that no file holds and no merge record names: a merged child's name stays taken until its file
 * and its record are gone, so that its pending deletion never reaches a new disk.
 */
export async function newDifferencingDiskPath(ctx: HostContext, base: string): Promise<string> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const path = differencingDiskPath(base, ctx.ids.newGuid());
    if (!(await ctx.store.exists(path)) && !(await ctx.store.exists(path + MERGE_SIDECAR_SUFFIX)))
      return path;
  }
  // The engine's own message: Hyper-V names each disk by a new GUID and documents none for this.
  throw new EngineError(
    ErrorCode.InvalidState,
    `No free name for a differencing disk of '${base}' after ${ATTEMPTS} attempts.`,
  );
}
