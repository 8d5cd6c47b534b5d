/** The zod schemas of the virtual switch routes; the engine applies the name rule and the limits. */
import { z } from 'zod';

const switchName = z
  .string({ error: 'The virtual switch name must be a string.' })
  .max(100, 'The virtual switch name must be at most 100 characters long.');
const notes = z.string().max(10_000, 'Notes must be at most 10000 characters long.');
const switchType = z.enum(['Private', 'Internal', 'External'], {
  error: 'The switch type must be Private, Internal or External.',
});

/** New-VMSwitch -Name -SwitchType [-Notes]. */
export const newVirtualSwitchBody = z.strictObject({
  name: switchName,
  switchType,
  notes: notes.optional(),
});

/** Rename-VMSwitch -NewName, Set-VMSwitch -Notes / -SwitchType: any of them. */
export const updateVirtualSwitchBody = z.strictObject({
  name: switchName.optional(),
  notes: notes.optional(),
  switchType: switchType.optional(),
});

/** Connect-VMNetworkAdapter -SwitchName, by the switch's ID. */
export const connectNetworkAdapterBody = z.strictObject({
  switchId: z.string().min(1).max(64),
});
