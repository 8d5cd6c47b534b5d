import { Router } from 'express';
import type { Host } from '@hvm/engine';

export function hostRoutes(host: Host): Router {
  const router = Router();
  router.get('/host', (_req, res) => {
    res.json(host.info());
  });
  return router;
}
