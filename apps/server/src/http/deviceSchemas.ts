/**
 * The zod schemas of a VM's network adapter and SCSI controller routes; the engine applies the name
 * rule, the MAC address rule and Hyper-V's limits.
 */
import { z } from 'zod';

const adapterName = z
  .string({ error: 'The network adapter name must be a string.' })
  .max(100, 'The network adapter name must be at most 100 characters long.');
const switchId = z.string().min(1).max(64);

/** Add-VMNetworkAdapter [-Name] [-SwitchName] [-IsLegacy] [-StaticMacAddress]. */
export const addNetworkAdapterBody = z.strictObject({
  name: adapterName.optional(),
  switchId: switchId.nullable().optional(),
  isLegacy: z.boolean().optional(),
  staticMacAddress: z.string().max(17).optional(),
});

/** Rename-VMNetworkAdapter -NewName. */
export const renameNetworkAdapterBody = z.strictObject({ name: adapterName });

const controllerNumber = z.coerce
  .number({ error: 'The controller number must be a whole number from 0 to 3.' })
  .int('The controller number must be a whole number from 0 to 3.')
  .min(0, 'The controller number must be a whole number from 0 to 3.')
  .max(3, 'The controller number must be a whole number from 0 to 3.');

/** Remove-VMScsiController -ControllerNumber, from the path. */
export const scsiControllerParams = z.object({ vmId: z.string(), controllerNumber });
