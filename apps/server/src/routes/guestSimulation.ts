import { Router } from 'express';
import { z } from 'zod';
import type { Host } from '@hvm/engine';
import { vmParams } from '../http/schemas.js';
import { validateBody, validateParams } from '../http/validate.js';

/** The faults to change, each true or false; the others keep their value. Unknown fields are 422. */
export const guestSimulationBody = z.strictObject({
  vssWriterFails: z.boolean().optional(),
  backupDaemonStopped: z.boolean().optional(),
  ignoresShutdown: z.boolean().optional(),
});

/**
 * Simulated guest faults (a simulation extension, not Hyper-V's): `PATCH /vms/{vmId}/
 * guest-simulation` turns them on or off and answers the VM's detail, whose `guestSimulation`
 * shows them. Administrators only (the catalogue's `setGuestSimulation` row).
 */
export function guestSimulationRoutes(host: Host): Router {
  const router = Router();
  router.patch('/vms/:vmId/guest-simulation', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const update = validateBody(guestSimulationBody, req);
    res.json(await host.setGuestSimulation(vmId, update));
  });
  return router;
}
