import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { checkpointParams, vmParams } from '../http/schemas.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { exportBody, inspectDiskQuery } from '../http/diskSchemas.js';
import { taskUrl } from './paths.js';

/** Export (checkpoint and VM), the host's disk files, Inspect Disk and Check Host. */
export function diskRoutes(host: Host): Router {
  const router = Router();

  router.post('/vms/:vmId/checkpoints/:checkpointId/actions/export', async (req, res) => {
    const { vmId, checkpointId } = validateParams(checkpointParams, req);
    const input = validateBody(exportBody, req);
    const task = await host.exportCheckpoint(vmId, checkpointId, input);
    res.status(202).location(taskUrl(task.id)).json({ task });
  });

  // Mounted before the VM routes, so that "export" is not read as a power action.
  router.post('/vms/:vmId/actions/export', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const input = validateBody(exportBody, req);
    const task = await host.exportVm(vmId, input);
    res.status(202).location(taskUrl(task.id)).json({ task });
  });

  router.get('/disks', async (_req, res) => {
    res.json(await host.listDisks());
  });

  router.get('/disks/inspect', async (req, res) => {
    const { path } = validateQuery(inspectDiskQuery, req);
    res.json(await host.inspectDisk(path));
  });

  router.get('/host/check', async (_req, res) => {
    res.json(await host.checkHost());
  });

  return router;
}
