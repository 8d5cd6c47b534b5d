import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { requestUser } from '../auth/requestUser.js';
import { Role } from '../auth/roles.js';

/**
 * `GET /host`. The absolute path of the host data folder is shown to Administrators only: a
 * Reader or Checkpoint Operator learns nothing of the server's file system from it.
 */
export function hostRoutes(host: Host): Router {
  const router = Router();
  router.get('/host', (req, res) => {
    const { dataLocation, ...info } = host.info();
    res.json(requestUser(req).role === Role.Administrator ? { ...info, dataLocation } : info);
  });
  return router;
}
