/**
 * Resize-VHD: a dynamic or differencing `.vhdx` of its own grows to a new size, or shrinks down
 * to the end of its last block holding data and never below 3 MB (-ToMinimumSize goes exactly
 * there). A disk a running VM or a checkpoint uses is refused; an Off VM's disk, without
 * checkpoints, is resized with the VM held (`editableDisk.ts`).
 *
 * A disk that is the parent of a differencing disk no VM lists is resized as Windows resizes it:
 * the child becomes invalid ("The expand operation ... will invalidate a differencing virtual
 * disk chain", Microsoft's ExpandVirtualDisk reference; `merge vdisk` says the same of a parent
 * changed by a merge). Windows does not refuse it, so neither does this host; a parent some VM's
 * chain uses is in use and refused above.
 */
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { minimumDiskSize, resizeDisk } from './diskLibrary.js';
import type { DiskInspection } from './diskTypes.js';
import { runDiskTask } from './diskTask.js';
import { inspectDisk } from './inspectDisk.js';
import { diskError } from './vhdxErrors.js';
import { withEditableDisk } from './editableDisk.js';
import { withPaths } from './virtualHardDisks.js';
import type { ResizeVirtualHardDiskInput } from './diskTypes.js';

/** The largest VHDX (MS-VHDX: 64 TB). */
const MAX_SIZE_BYTES = 64 * 1024 ** 4;
/** The smallest disk New-VHD makes (3 MB): no resize goes below it either. */
const MIN_SIZE_BYTES = 3 * 1024 * 1024;

export async function resizeVirtualHardDisk(
  ctx: HostContext,
  input: ResizeVirtualHardDiskInput,
): Promise<DiskInspection> {
  const disk = await inspectDisk(ctx, input.path);
  const path = disk.path;
  if (disk.type === 'Fixed') {
    throw new EngineError(
      ErrorCode.Unsupported,
      `'${path}' is a fixed virtual hard disk: this host resizes dynamic and differencing disks only.`,
      { path },
    );
  }
  await withEditableDisk(ctx, path, () => resize(ctx, disk, input));
  return inspectDisk(ctx, path);
}

async function resize(
  ctx: HostContext,
  disk: DiskInspection,
  input: ResizeVirtualHardDiskInput,
): Promise<void> {
  const path = disk.path;
  await withPaths(ctx, [path], async () => {
    const dataEnd = await minimumDiskSize(ctx.store, path).catch((error: unknown) => {
      throw diskError(path, error);
    });
    const minimum = Math.min(disk.virtualSizeBytes, Math.max(MIN_SIZE_BYTES, dataEnd));
    const size = 'toMinimumSize' in input ? minimum : input.sizeBytes;
    const sector = disk.logicalSectorSize;
    if (!Number.isSafeInteger(size) || size <= 0 || size % sector !== 0 || size > MAX_SIZE_BYTES) {
      throw invalidArgument(
        'sizeBytes',
        `The size must be a multiple of ${sector} bytes (the disk's logical sector size), up to 64 TB.`,
      );
    }
    if (size < minimum) {
      throw invalidArgument(
        'sizeBytes',
        `The size of '${path}' cannot be reduced to ${size} bytes: its minimum size is ${minimum} bytes.`,
      );
    }
    // Resizing rewrites the block table only (no data moves): the task goes from 0 to 100 %.
    await runDiskTask(ctx, 'expand', path, () => resizeDisk(ctx.store, path, size)).catch(
      (error: unknown) => {
        throw diskError(path, error);
      },
    );
    await ctx.disks.forget?.(ctx.store, [path]);
  });
}
