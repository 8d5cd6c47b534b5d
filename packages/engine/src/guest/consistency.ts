import type { HostContext } from '../host/hostContext.js';
import { reportError } from '../storage/failureReport.js';
import { checkGuestDisk, type CheckResult } from './checker.js';
import type { GuestMemoryState } from './guestMemory.js';

/**
 * Runs the guest application's checker on frozen disks (the system disk, the first drive) and,
 * for a checkpoint with memory, on the guest memory saved with them.
 */
export async function checkFrozenDisks(
  ctx: HostContext,
  disks: readonly string[],
  guestMemory: GuestMemoryState | null,
): Promise<CheckResult> {
  const system = disks[0];
  if (system === undefined) return { consistency: null, detail: 'no virtual hard disk' };
  try {
    // One open of the frozen chain for the whole check.
    const session = await ctx.disks.openReader?.(ctx.store, system);
    if (session === undefined) {
      return await checkGuestDisk(
        (offset, length) => ctx.disks.readDisk(ctx.store, system, offset, length),
        guestMemory,
      );
    }
    try {
      return await checkGuestDisk((offset, length) => session.read(offset, length), guestMemory);
    } finally {
      await session.close();
    }
  } catch (error) {
    return {
      consistency: null,
      detail: `the disk could not be read: ${reportError(ctx, 'The checkpoint checker', error)}`,
    };
  }
}
