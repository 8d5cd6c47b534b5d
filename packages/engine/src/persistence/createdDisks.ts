import type { HostContext } from '../host/hostContext.js';
import { unlinkQuietly } from '../host/hostContext.js';

/**
 * The proof that the host itself made a differencing disk: before an operation (Create or Apply
 * Checkpoint) creates Now's new `.avhdx`, it writes `<disk>.creating` beside it; once the VM's
 * configuration names the disk (the commit), the marker is removed. A load deletes an `.avhdx`
 * only when its marker is there and no VM names it: that operation never committed. Every other
 * `.avhdx` no VM lists is kept and reported by Check Host as orphaned.
 */
export const CREATED_DISK_MARKER_SUFFIX = '.creating';

export const createdDiskMarkerPath = (diskPath: string): string =>
  `${diskPath}${CREATED_DISK_MARKER_SUFFIX}`;

/** Creates a differencing disk for an operation that has not committed yet, marked as the host's. */
export async function createOwnDifferencingDisk(
  ctx: HostContext,
  childPath: string,
  parentPath: string,
): Promise<void> {
  await ctx.store.writeFileAtomic(createdDiskMarkerPath(childPath), new Uint8Array(0));
  await ctx.disks.createDifferencingDisk(ctx.store, childPath, parentPath);
}

/** After the commit: the configuration names these disks, so they are no longer the host's to take back. */
export async function keepCreatedDisks(
  ctx: HostContext,
  diskPaths: Iterable<string>,
): Promise<void> {
  for (const path of diskPaths) await unlinkQuietly(ctx, createdDiskMarkerPath(path));
}

/**
 * A failed operation takes back a file it wrote. A disk's marker goes only once the disk is gone:
 * a disk that could not be removed (a read-only folder) stays provably the host's for the next load.
 */
export async function removeUncommittedFile(ctx: HostContext, path: string): Promise<void> {
  await unlinkQuietly(ctx, path);
  const marker = createdDiskMarkerPath(path);
  if (
    !(await ctx.store.exists(path).catch(() => true)) &&
    (await ctx.store.exists(marker).catch(() => false))
  )
    await unlinkQuietly(ctx, marker);
}

/**
 * On load, in `folder`: a marked disk no VM references is an interrupted operation's and is
 * deleted (disk first, then its marker, so a second interruption repeats the same decision); a
 * marked disk a VM references was committed and only loses its marker.
 */
export async function removeAbandonedDisks(
  ctx: HostContext,
  folder: string,
  referenced: ReadonlySet<string>,
): Promise<void> {
  const prefix = folder === '' ? '' : `${folder}/`;
  for (const name of await ctx.store.list(folder)) {
    if (!name.endsWith(CREATED_DISK_MARKER_SUFFIX) || name === CREATED_DISK_MARKER_SUFFIX) continue;
    const disk = prefix + name.slice(0, -CREATED_DISK_MARKER_SUFFIX.length);
    if (!referenced.has(disk)) await unlinkQuietly(ctx, disk);
    await unlinkQuietly(ctx, prefix + name);
  }
}
