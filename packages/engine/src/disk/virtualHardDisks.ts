/**
 * New-VHD and Merge-VHD: virtual hard disk files of their own in the data folder, outside any VM.
 * A new disk is a dynamic, fixed or differencing `.vhdx`; a merge folds a differencing disk into an
 * ancestor. Disks a VM or a checkpoint uses (or whose chain a VM uses) are never touched: Hyper-V
 * holds them open (spec §5: Merge-VHD is offline only, the chain must not be attached).
 */
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { VM_FOLDER } from '../persistence/layout.js';
import { confinePath, isUnder } from '../storage/storageRoots.js';
import type { DiskInspection } from './diskTypes.js';
import { inspectDisk } from './inspectDisk.js';
import { diskError } from './vhdxErrors.js';
import { createFixedDisk } from './diskLibrary.js';
import { runDiskTask, weightedSteps } from './diskTask.js';
import type { MergeVirtualHardDiskInput, NewVirtualHardDiskInput } from './diskTypes.js';

/** Paths being created or merged, so that two requests cannot race for one file. */
const busyPaths = new WeakMap<HostContext, Set<string>>();

export async function withPaths<T>(
  ctx: HostContext,
  paths: string[],
  fn: () => Promise<T>,
): Promise<T> {
  const busy = busyPaths.get(ctx) ?? new Set<string>();
  busyPaths.set(ctx, busy);
  const keys = paths.map((p) => p.toLowerCase());
  if (keys.some((k) => busy.has(k))) throw inUse(paths[0] ?? '');
  for (const k of keys) busy.add(k);
  try {
    return await fn();
  } finally {
    for (const k of keys) busy.delete(k);
  }
}

/** Windows' sharing violation, as Hyper-V reports a disk file another process holds open. */
export function inUse(path: string): EngineError {
  return new EngineError(
    ErrorCode.InvalidState,
    `The process cannot access the file because it is being used by another process. (0x80070020)`,
    { path, reason: 'in-use' },
  );
}

/** Every disk file a VM (or a deleted VM still merging) refers to, in lower case. */
export function disksInUse(ctx: HostContext): Set<string> {
  const used = new Set<string>();
  for (const vm of [...ctx.vms.values(), ...ctx.deletingVms.values()]) {
    for (const path of Object.keys(vm.file.disks)) used.add(path.toLowerCase());
    for (const drive of vm.file.drives) used.add(drive.path.toLowerCase());
    if (vm.file.merge !== null) {
      used.add(vm.file.merge.child.toLowerCase());
      used.add(vm.file.merge.parent.toLowerCase());
    }
  }
  return used;
}

export async function newDiskPath(ctx: HostContext, input: string): Promise<string> {
  const path = await confinePath(ctx, input, 'path');
  if (!/\.vhdx$/i.test(path)) {
    throw invalidArgument(
      'path',
      `'${input}' is not a VHDX file name: this host creates virtual hard disks in the VHDX format (.vhdx).`,
    );
  }
  if (isUnder(path, VM_FOLDER))
    throw invalidArgument(
      'path',
      `The path '${input}' is inside the host's '${VM_FOLDER}' folder.`,
    );
  if (await ctx.store.exists(path)) {
    throw new EngineError(ErrorCode.NameConflict, 'The file exists. (0x80070050)', {
      path,
      reason: 'exists',
    });
  }
  return path;
}

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at === -1 ? '' : path.slice(0, at);
}

export async function createVirtualHardDisk(
  ctx: HostContext,
  input: NewVirtualHardDiskInput,
): Promise<DiskInspection> {
  const path = await newDiskPath(ctx, input.path);
  if (input.parentPath !== undefined) {
    const parent = (await inspectDisk(ctx, input.parentPath)).path;
    if (disksInUse(ctx).has(parent.toLowerCase())) throw inUse(parent);
    await withPaths(ctx, [path, parent], async () => {
      await ctx.store.mkdirp(folderOf(path));
      await ctx.disks.createDifferencingDisk(ctx.store, path, parent).catch((error: unknown) => {
        throw diskError(path, error);
      });
    });
    return inspectDisk(ctx, path);
  }
  const size = input.sizeBytes;
  if (
    typeof size !== 'number' ||
    !Number.isSafeInteger(size) ||
    size < 3 * 1024 * 1024 ||
    size % 512 !== 0 ||
    size > 64 * 1024 ** 4
  ) {
    throw invalidArgument(
      'sizeBytes',
      'The disk size must be a multiple of 512 bytes between 3 MB and 64 TB.',
    );
  }
  await withPaths(ctx, [path], async () => {
    await ctx.store.mkdirp(folderOf(path));
    if (input.fixed === true)
      await runDiskTask(ctx, 'create', path, (report) =>
        createFixedDisk(ctx.store, path, size, report),
      );
    else await ctx.disks.createDynamicDisk(ctx.store, path, size);
  });
  return inspectDisk(ctx, path);
}

/**
 * Merge-VHD: folds `path` into its parent, then that into its parent, until `destinationPath`
 * holds the content; the merged files are removed. Refused when any file of the way is used by a
 * VM or a checkpoint.
 */
export async function mergeVirtualHardDisk(
  ctx: HostContext,
  input: MergeVirtualHardDiskInput,
): Promise<DiskInspection> {
  const start = await inspectDisk(ctx, input.path);
  if (start.parentPath === null) {
    throw invalidArgument(
      'path',
      `'${start.path}' is not a differencing disk: it has no parent to merge into.`,
    );
  }
  const chain = start.chain.map((d) => d.path);
  const destination =
    input.destinationPath === undefined
      ? start.parentPath
      : (await inspectDisk(ctx, input.destinationPath)).path;
  const at = chain.findIndex((p) => p.toLowerCase() === destination.toLowerCase());
  if (at < 1) {
    throw invalidArgument(
      'destinationPath',
      `'${destination}' is not a parent of '${start.path}' in its chain.`,
    );
  }
  const merged = chain.slice(0, at);
  const used = disksInUse(ctx);
  for (const p of [...merged, destination]) if (used.has(p.toLowerCase())) throw inUse(p);
  // Each merged file weighs its size: the bytes it holds are the bytes its merge copies.
  const weights = await Promise.all(merged.map(async (p) => (await ctx.store.stat(p)).size));
  await withPaths(ctx, [...merged, destination], () =>
    runDiskTask(ctx, 'merge', start.path, async (report) => {
      const step = weightedSteps(weights, report);
      for (const [index, child] of merged.entries()) {
        const reportStep = step(index);
        await ctx.disks
          .mergeDisk(ctx.store, child, {
            children: [],
            onProgress: (percent) => reportStep(percent / 100),
          })
          .catch((error: unknown) => {
            throw diskError(child, error);
          });
      }
    }),
  );
  return inspectDisk(ctx, destination);
}
