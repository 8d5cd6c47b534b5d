import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { requestUser } from '../auth/requestUser.js';
import { Role } from '../auth/roles.js';
import { hostSettingsBody } from '../http/hostSettingsSchemas.js';
import { validateBody } from '../http/validate.js';

/**
 * `PATCH /host`: Hyper-V Settings' default folders, inside the data folder (the engine refuses
 * anything else). Administrators only (the catalogue's `manageHost`).
 */
export function hostSettingsRoutes(host: Host): Router {
  const router = Router();
  router.patch('/host', async (req, res) => {
    const update = validateBody(hostSettingsBody, req);
    const { dataLocation, ...info } = await host.updateHostSettings({
      ...(update.virtualHardDiskPath === undefined
        ? {}
        : { virtualHardDiskPath: update.virtualHardDiskPath }),
      ...(update.virtualMachinePath === undefined
        ? {}
        : { virtualMachinePath: update.virtualMachinePath }),
    });
    res.json(requestUser(req).role === Role.Administrator ? { ...info, dataLocation } : info);
  });
  return router;
}
