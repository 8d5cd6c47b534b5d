/** The zod schema of attaching an existing disk to a VM (Add-VMHardDiskDrive -Path). */
import { z } from 'zod';

export const addHardDriveBody = z.strictObject({
  /** The disk file, relative to the data folder (or absolute inside it): a `.vhdx` or `.avhdx` no VM uses. */
  path: z
    .string({ error: 'The path must be a string.' })
    .min(1, 'The path cannot be empty.')
    .max(260, 'The path must be at most 260 characters long.'),
  controllerType: z.enum(['IDE', 'SCSI']).exactOptional(),
  controllerNumber: z.int().min(0).max(3).exactOptional(),
  controllerLocation: z.int().min(0).max(63).exactOptional(),
});
