/**
 * Check Host's two actions on what it reports as orphaned (issue 17): Remove deletes the file, and
 * Attach makes an orphaned differencing disk a new hard drive of an Off VM. Both act only on a
 * file a fresh check reports, so no other file of the data folder can be reached through them.
 * Hyper-V Manager has no Check Host; the messages are this host's own.
 */
import { checkHost } from '../disk/checkHost.js';
import type { AttachOrphanedDiskInput, HostCheckReport } from '../disk/diskTypes.js';
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { addHardDiskDrive } from '../vm/hardDiskDrives.js';
import { relativeToDataFolder } from '../storage/storageRoots.js';
import { pendingDiskMarkerPath } from './pendingDisks.js';

const comparable = (path: string): string => path.replaceAll('\\', '/').toLowerCase();

function notOrphaned(path: string, what: string): EngineError {
  return invalidArgument(
    'path',
    `'${path}' is not ${what} that Check Host reports. Check the host again and choose one of the files it lists.`,
  );
}

type OrphanEntry =
  { kind: 'disk'; path: string; children: string[] } | { kind: 'file'; path: string; children: [] };

function findOrphan(ctx: HostContext, report: HostCheckReport, path: unknown): OrphanEntry | null {
  if (typeof path !== 'string' || path === '') return null;
  // The report holds paths relative to the data folder; the host shows them in full
  // (storage/hostPaths.ts), and either form names the same file.
  const wanted = comparable(
    relativeToDataFolder(path.replaceAll('\\', '/'), ctx.dataLocation) ?? path,
  );
  const disk = report.orphanedDisks.find((o) => comparable(o.path) === wanted);
  if (disk !== undefined) {
    const children = report.orphanedDisks
      .filter((o) => o.parentPath !== null && comparable(o.parentPath) === wanted)
      .map((o) => o.path);
    return { kind: 'disk', path: disk.path, children };
  }
  const file = report.orphanedFiles.find((o) => comparable(o.path) === wanted);
  return file === undefined ? null : { kind: 'file', path: file.path, children: [] };
}

/**
 * Remove: deletes one orphaned disk or file Check Host reports. An orphaned disk that another
 * orphaned disk still names as its parent is refused (removing it would break that child); a file
 * an operation marks as its own meanwhile is refused too.
 */
export async function removeOrphanedFile(ctx: HostContext, path: string): Promise<void> {
  const orphan = findOrphan(ctx, await checkHost(ctx), path);
  if (orphan === null) throw notOrphaned(String(path), 'an orphaned file');
  const [child] = orphan.children;
  if (child !== undefined) {
    throw new EngineError(
      ErrorCode.InvalidState,
      `'${orphan.path}' is the parent of the orphaned disk '${child}'. Remove or attach that disk first.`,
      { path: orphan.path, child, reason: 'has-orphaned-child' },
    );
  }
  if (await ctx.store.exists(pendingDiskMarkerPath(orphan.path))) {
    throw new EngineError(
      ErrorCode.OperationInProgress,
      `'${orphan.path}' is in use by an operation in progress.`,
      { path: orphan.path },
    );
  }
  if (orphan.kind === 'disk') await ctx.disks.forget?.(ctx.store, [orphan.path]);
  await ctx.store.unlink(orphan.path);
}

/**
 * Attach: an orphaned differencing disk Check Host reports becomes a new hard drive of `vm`, as
 * Add-VMHardDiskDrive does (the VM Off and without checkpoints; no other VM may use a disk of
 * its chain). The drive takes the first free location unless one is given.
 */
export async function attachOrphanedDisk(
  ctx: HostContext,
  vm: VmRuntime,
  input: AttachOrphanedDiskInput,
): Promise<void> {
  const report = await checkHost(ctx);
  const orphan = findOrphan(ctx, report, (input as Partial<AttachOrphanedDiskInput> | null)?.path);
  if (orphan?.kind !== 'disk') throw notOrphaned(String(input.path), 'an orphaned disk');
  const broken = report.orphanedDisks.find((o) => o.path === orphan.path);
  if (broken?.parentPath === null) {
    // Its header could not be read, or its parent is missing: no VM could start from it.
    throw invalidArgument('path', broken.reason);
  }
  await addHardDiskDrive(ctx, vm, { ...input, path: orphan.path });
}
