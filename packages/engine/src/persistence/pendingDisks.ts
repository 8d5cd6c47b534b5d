import type { HostContext } from '../host/hostContext.js';
import { unlinkQuietly } from '../host/hostContext.js';

/** `<GUID>.json` / `<GUID>.vmrs`: the names of checkpoint configurations and saved states. */
export const GUID_FILE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(json|vmrs)$/i;

/**
 * The proof that a differencing disk is the host's to take back. Before an operation makes Now's
 * new `.avhdx` (Create or Apply Checkpoint), or drops a disk from a VM's registry to delete it
 * (`removeOrphanDisks`), it writes `<disk>.pending` beside it; once the change is committed (the
 * configuration names the new disk, or the dropped disk is deleted) the marker goes. A load
 * deletes an `.avhdx` only when its marker is there and no VM names it: the operation that made it
 * never committed, or the deletion was cut short. Every other `.avhdx` no VM lists is kept and
 * reported by Check Host as orphaned (issue 17: a copied-in Hyper-V child was deleted on load).
 */
export const PENDING_DISK_MARKER_SUFFIX = '.pending';

export const pendingDiskMarkerPath = (diskPath: string): string =>
  `${diskPath}${PENDING_DISK_MARKER_SUFFIX}`;

/** Marks disks the host is about to make or to delete (before the commit that decides). */
export async function markPendingDisks(
  ctx: HostContext,
  diskPaths: Iterable<string>,
): Promise<void> {
  for (const path of diskPaths)
    await ctx.store.writeFileAtomic(pendingDiskMarkerPath(path), new Uint8Array(0));
}

/** Creates a differencing disk for an operation that has not committed yet, marked as the host's. */
export async function createPendingDifferencingDisk(
  ctx: HostContext,
  childPath: string,
  parentPath: string,
): Promise<void> {
  await markPendingDisks(ctx, [childPath]);
  await ctx.disks.createDifferencingDisk(ctx.store, childPath, parentPath);
}

/** After the commit: the configuration names these new disks, so they are no longer the host's to take back. */
export async function settlePendingDisks(
  ctx: HostContext,
  diskPaths: Iterable<string>,
): Promise<void> {
  for (const path of diskPaths) await unlinkQuietly(ctx, pendingDiskMarkerPath(path));
}

/**
 * Deletes a file the host wrote or dropped. A disk's marker goes only once the disk is gone: a
 * disk that could not be removed (a read-only folder) stays provably the host's for the next load.
 */
export async function removeUncommittedFile(ctx: HostContext, path: string): Promise<void> {
  await unlinkQuietly(ctx, path);
  const marker = pendingDiskMarkerPath(path);
  const gone = !(await ctx.store.exists(path).catch(() => true));
  if (gone && (await ctx.store.exists(marker).catch(() => false))) await unlinkQuietly(ctx, marker);
}

/**
 * On load, in `folder`: a marked file no VM references is an interrupted operation's and is
 * deleted (file first, then its marker, so a second interruption repeats the same decision); a
 * marked file a VM references was committed and only loses its marker. Marked files are
 * differencing disks (`.avhdx`) and the GUID-named checkpoint configurations and saved states
 * (`.json`, `.vmrs`) that Create Checkpoint writes and Delete Checkpoint / Delete VM drop.
 */
export async function removeAbandonedFiles(
  ctx: HostContext,
  folder: string,
  referenced: ReadonlySet<string>,
): Promise<void> {
  const prefix = folder === '' ? '' : `${folder}/`;
  for (const name of await ctx.store.list(folder)) {
    if (!name.endsWith(PENDING_DISK_MARKER_SUFFIX) || name === PENDING_DISK_MARKER_SUFFIX) continue;
    const disk = prefix + name.slice(0, -PENDING_DISK_MARKER_SUFFIX.length);
    const file = disk.slice(prefix.length);
    if (!disk.toLowerCase().endsWith('.avhdx') && !GUID_FILE.test(file)) continue;
    if (!referenced.has(disk)) await unlinkQuietly(ctx, disk);
    await unlinkQuietly(ctx, prefix + name);
  }
}
