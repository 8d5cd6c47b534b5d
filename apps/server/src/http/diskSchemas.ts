/** The zod schemas of Export and Inspect Disk; the engine checks that paths stay in the data folder. */
import { z } from 'zod';

const hostPath = (what: string) =>
  z
    .string({ error: `The ${what} must be a string.` })
    .min(1, `The ${what} cannot be empty.`)
    .max(260, `The ${what} must be at most 260 characters long.`);

/** Export-VMSnapshot -Path: the target folder, relative to the host's data folder. */
export const exportBody = z.strictObject({ path: hostPath('path') });

export const inspectDiskQuery = z.object({ path: hostPath('path') });

/** Check Host's Remove: one orphaned disk or file it reports, relative to the data folder. */
export const removeOrphanedFileBody = z.strictObject({ path: hostPath('path') });

/** Check Host's Attach: an orphaned disk it reports, and optionally the drive's place. */
export const attachOrphanedDiskBody = z.strictObject({
  path: hostPath('path'),
  controllerType: z.enum(['IDE', 'SCSI']).optional(),
  controllerNumber: z.number().int().min(0).max(3).optional(),
  controllerLocation: z.number().int().min(0).max(63).optional(),
});
