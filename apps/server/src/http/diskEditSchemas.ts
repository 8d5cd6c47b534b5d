/**
 * The zod schemas of the Edit Virtual Hard Disk actions (Compact, Convert, Expand, Merge); the
 * engine checks that paths stay in the data folder and which disks may be edited.
 */
import { z } from 'zod';

const hostPath = (what: string) =>
  z
    .string({ error: `The ${what} must be a string.` })
    .min(1, `The ${what} cannot be empty.`)
    .max(260, `The ${what} must be at most 260 characters long.`);

/** Optimize-VHD's VhdCompactMode (Microsoft's Optimize-VHD reference). */
export const compactDiskBody = z.strictObject({
  path: hostPath('path'),
  mode: z.enum(['Full', 'Quick', 'Retrim', 'Pretrimmed', 'Prezeroed']).optional(),
});

/** Convert-VHD: a new dynamic or fixed disk at `destinationPath`. */
export const convertDiskBody = z.strictObject({
  path: hostPath('path'),
  destinationPath: hostPath('destination path'),
  vhdType: z.enum(['Dynamic', 'Fixed']).optional(),
  deleteSource: z.boolean().optional(),
});

/** Resize-VHD -SizeBytes (Edit Disk's Expand): at most 64 TB, the VHDX format's largest. */
export const expandDiskBody = z.strictObject({
  path: hostPath('path'),
  sizeBytes: z
    .number({ error: 'The size must be a number of bytes.' })
    .int('The size must be a whole number of bytes.')
    .positive('The size must be larger than 0.')
    .max(64 * 1024 ** 4, 'The size must be at most 64 TB.'),
});

/** Merge-VHD: into the parent, or an ancestor named by `destinationPath`. */
export const mergeDiskBody = z.strictObject({
  path: hostPath('path'),
  destinationPath: hostPath('destination path').optional(),
});

/**
 * New-VHD (New Virtual Hard Disk wizard): a size (dynamic, or fixed with `fixed`), or a parent
 * (differencing, the parent's size): Microsoft's New-VHD parameter sets, one or the other.
 */
export const newDiskBody = z.union([
  z.strictObject({
    path: hostPath('path'),
    sizeBytes: z
      .number({ error: 'The size must be a number of bytes.' })
      .int('The size must be a whole number of bytes.')
      .positive('The size must be larger than 0.')
      .max(64 * 1024 ** 4, 'The size must be at most 64 TB.'),
    fixed: z.boolean().optional(),
  }),
  z.strictObject({ path: hostPath('path'), parentPath: hostPath('parent path') }),
]);
