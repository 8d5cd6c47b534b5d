/**
 * Convert-VHD and Optimize-VHD (the Edit Virtual Hard Disk wizard's Convert and Compact) on the
 * host's `.vhdx` files. Which disks may be edited: `editableDisk.ts`.
 */
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { compactDisk, convertDisk } from './diskLibrary.js';
import type {
  ConvertVirtualHardDiskInput,
  DiskInspection,
  OptimizeVirtualHardDiskInput,
  VhdCompactMode,
} from './diskTypes.js';
import { runDiskTask } from './diskTask.js';
import { withEditableDisk } from './editableDisk.js';
import { inspectDisk } from './inspectDisk.js';
import { diskError } from './vhdxErrors.js';
import { disksInUse, inUse, newDiskPath, withPaths } from './virtualHardDisks.js';

const COMPACT_MODES: readonly VhdCompactMode[] = [
  'Full',
  'Quick',
  'Retrim',
  'Pretrimmed',
  'Prezeroed',
];

/**
 * Convert-VHD: the source's content in a new dynamic or fixed `.vhdx` (the source is only read;
 * with `deleteSource` it goes once the copy is complete). A differencing disk converts to a
 * standalone disk with what it shows through its chain.
 */
export async function convertVirtualHardDisk(
  ctx: HostContext,
  input: ConvertVirtualHardDiskInput,
): Promise<DiskInspection> {
  const source = await inspectDisk(ctx, input.path);
  const type = input.vhdType ?? (source.type === 'Fixed' ? 'Fixed' : 'Dynamic');
  if (type !== 'Dynamic' && type !== 'Fixed') {
    // Converting to a differencing disk (-VHDType Differencing -ParentPath) is not done here.
    throw invalidArgument(
      'vhdType',
      `The virtual hard disk type '${String(type)}' is not supported here: convert to Dynamic or Fixed.`,
    );
  }
  const destination = await newDiskPath(ctx, input.destinationPath);
  // Deleting the source leaves no VM without its disk: a disk any VM lists is not deleted.
  if (input.deleteSource === true && disksInUse(ctx).has(source.path.toLowerCase()))
    throw inUse(source.path);
  await withEditableDisk(ctx, source.path, () =>
    withPaths(ctx, [source.path, destination], async () => {
      await runDiskTask(ctx, 'convert', source.path, (report) =>
        convertDisk(ctx.store, source.path, destination, { type, onProgress: report }),
      ).catch((error: unknown) => {
        throw diskError(source.path, error);
      });
      if (input.deleteSource === true) {
        await ctx.store.unlink(source.path);
        await ctx.disks.forget?.(ctx.store, [source.path]);
      }
    }),
  );
  return inspectDisk(ctx, destination);
}

/**
 * Optimize-VHD: a dynamic or differencing disk rewritten without the blocks it does not need.
 * Full and Prezeroed also drop blocks that read as zeros (the guest zeroed what it deleted);
 * Quick and Pretrimmed keep every block the table holds (this host cannot read the guest's file
 * system for its free space, which is what Quick asks of a disk mounted read-only); Retrim needs
 * the disk mounted, which this host cannot do. Fixed disks are refused ("except for fixed virtual
 * hard disks", Microsoft's Optimize-VHD reference).
 */
export async function optimizeVirtualHardDisk(
  ctx: HostContext,
  input: OptimizeVirtualHardDiskInput,
): Promise<DiskInspection> {
  const mode = input.mode ?? 'Quick';
  if (!COMPACT_MODES.includes(mode))
    throw invalidArgument(
      'mode',
      `'${String(mode)}' is not a compact mode: use one of ${COMPACT_MODES.join(', ')}.`,
    );
  const disk = await inspectDisk(ctx, input.path);
  if (disk.type === 'Fixed') {
    // Our sentence: the reference says fixed disks are not optimized; Hyper-V's text is not known.
    throw new EngineError(
      ErrorCode.Unsupported,
      `'${disk.path}' is a fixed virtual hard disk: only dynamic and differencing disks are compacted.`,
      { path: disk.path },
    );
  }
  if (mode === 'Retrim') {
    throw new EngineError(
      ErrorCode.Unsupported,
      `Retrim needs the virtual hard disk mounted, and this host cannot mount '${disk.path}'.`,
      { path: disk.path },
    );
  }
  await withEditableDisk(ctx, disk.path, () =>
    withPaths(ctx, [disk.path], async () => {
      await ctx.disks.forget?.(ctx.store, [disk.path]);
      await runDiskTask(ctx, 'compact', disk.path, (report) =>
        compactDisk(ctx.store, disk.path, {
          scanForZeros: mode === 'Full' || mode === 'Prezeroed',
          onProgress: report,
        }),
      ).catch((error: unknown) => {
        throw diskError(disk.path, error);
      });
      await ctx.disks.forget?.(ctx.store, [disk.path]);
    }),
  );
  return inspectDisk(ctx, disk.path);
}
