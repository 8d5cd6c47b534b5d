/**
 * `GET /event-log`: the host's Hyper-V-VMMS Admin log, newest first, filtered by VM, level, time
 * range and text, a page at a time. New entries also arrive on `GET /events` as `event-logged`.
 */
import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { eventLogQuery } from '../http/eventLogSchemas.js';
import { validateQuery } from '../http/validate.js';

export function eventLogRoutes(host: Host): Router {
  const router = Router();
  router.get('/event-log', async (req, res) => {
    res.json(await host.queryEventLog(validateQuery(eventLogQuery, req)));
  });
  return router;
}
