import { Router } from 'express';
import { z } from 'zod';
import type { Host } from '@hvm/engine';
import { checkpointParams, emptyBody, vmParams } from '../http/schemas.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { checkpointUrl } from './paths.js';

/** `?offset=&length=` of a backup read: decimal byte counts. */
export const backupReadQuery = z.object({
  offset: z.coerce.number().int().min(0),
  length: z.coerce
    .number()
    .int()
    .min(0)
    .max(4 * 1024 * 1024),
});

/** Simulated guests: the Quick Create gallery, the console view and the backup API. */
export function guestRoutes(host: Host): Router {
  const router = Router();
  const backup = '/vms/:vmId/backup';

  router.get('/guest-images', (_req, res) => {
    res.json(host.listGuestImages());
  });

  router.get('/vms/:vmId/console', (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    res.json(host.getGuestConsole(vmId));
  });

  router.post(`${backup}/checkpoints`, async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    validateBody(emptyBody, req);
    const checkpoint = await host.createRecoveryCheckpoint(vmId);
    res.status(201).location(checkpointUrl(vmId, checkpoint.id)).json(checkpoint);
  });

  router.get(`${backup}/checkpoints/:checkpointId/disk`, async (req, res) => {
    const { vmId, checkpointId } = validateParams(checkpointParams, req);
    const { offset, length } = validateQuery(backupReadQuery, req);
    const bytes = await host.readCheckpointDisk(vmId, checkpointId, offset, length);
    res.type('application/octet-stream').send(Buffer.from(bytes));
  });

  router.post(
    `${backup}/checkpoints/:checkpointId/actions/convert-to-reference-point`,
    async (req, res) => {
      const { vmId, checkpointId } = validateParams(checkpointParams, req);
      validateBody(emptyBody, req);
      res.json(await host.convertToReferencePoint(vmId, checkpointId));
    },
  );

  router.get(`${backup}/reference-points`, (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    res.json(host.listReferencePoints(vmId));
  });

  return router;
}
