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
