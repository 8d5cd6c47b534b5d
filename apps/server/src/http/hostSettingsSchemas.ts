/** The zod schema of Hyper-V Settings' folders (`PATCH /host`); the engine keeps them in the data folder. */
import { z } from 'zod';

const folder = z.string().min(1, 'The folder cannot be empty.').max(260);

/** Set-VMHost -VirtualHardDiskPath / -VirtualMachinePath. */
export const hostSettingsBody = z.strictObject({
  virtualHardDiskPath: folder.optional(),
  virtualMachinePath: folder.optional(),
});
