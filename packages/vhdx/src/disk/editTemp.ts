import { VhdxError } from '../errors.js';
import type { FileStore } from '../storage/fileStore.js';

/**
 * Convert and compact write a whole new file next to where it will live, under this suffix, and
 * rename it into place only once it is complete and durable: a crash before the rename leaves the
 * source as it was and a temporary file that listings skip (their names hold `.tmp-`) and the next
 * edit of the same file replaces.
 */
export const EDIT_TEMP_SUFFIX = '.tmp-edit';

/** The temporary file for `path`, with any copy a crash left behind removed. */
export async function freshTempFile(store: FileStore, path: string): Promise<string> {
  const temp = `${path}${EDIT_TEMP_SUFFIX}`;
  if (await store.exists(temp)) await store.unlink(temp);
  return temp;
}

/** Throws ABORTED once `signal` is aborted. */
export function checkAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new VhdxError('edit', `${what} stopped`, { code: 'ABORTED' });
}

/** Removes the temporary file of an edit that failed (not of one a crash cut short: nothing runs then). */
export async function dropTempFile(store: FileStore, temp: string): Promise<void> {
  await store.unlink(temp).catch(() => undefined);
}
