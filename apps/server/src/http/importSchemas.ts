/** The zod schemas of Import-VM, Compare-VM and Export-VM; the engine checks that paths stay in the data folder. */
import { z } from 'zod';
import { IMPORT_MODES } from '@hvm/engine';

const hostPath = (what: string) =>
  z
    .string({ error: `The ${what} must be a string.` })
    .min(1, `The ${what} cannot be empty.`)
    .max(260, `The ${what} must be at most 260 characters long.`);

/** Export-VM -Path; `flatten`: one standalone disk per drive and no checkpoints (this host's own option). */
export const exportVmBody = z.strictObject({
  path: hostPath('path'),
  flatten: z.boolean().optional(),
});

const mode = z.enum(IMPORT_MODES as ['register', 'restore', 'copy'], {
  error: `The import type must be one of ${IMPORT_MODES.join(', ')}.`,
});

/** Compare-VM -Path [-Register | -Copy [-GenerateNewId]]: the export folder or its configuration file. */
export const compareVmBody = z.strictObject({
  path: hostPath('path'),
  mode: mode.optional(),
  newName: z.string().min(1).max(100).optional(),
});

/** Import-VM: the import type and, for restore and copy, the destination folders. */
export const importVmBody = z.strictObject({
  path: hostPath('path'),
  mode: mode.optional(),
  vhdDestinationPath: hostPath('vhdDestinationPath').optional(),
  virtualMachinePath: hostPath('virtualMachinePath').optional(),
  snapshotFilePath: hostPath('snapshotFilePath').optional(),
  newName: z.string().min(1).max(100).optional(),
});
