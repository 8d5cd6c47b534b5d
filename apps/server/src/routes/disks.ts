import { Router } from 'express';
import type { Request } from 'express';
import type { Host } from '@hvm/engine';
import { EngineError, ErrorCode } from '@hvm/engine';
import { requestUser } from '../auth/requestUser.js';
import { Role } from '../auth/roles.js';
import { checkpointParams, vmParams } from '../http/schemas.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import {
  attachOrphanedDiskBody,
  exportBody,
  inspectDiskQuery,
  removeOrphanedFileBody,
} from '../http/diskSchemas.js';
import { exportVmBody } from '../http/importSchemas.js';
import { taskUrl } from './paths.js';

/** A path that starts at the root of a file system: `/x`, `\\x`, `C:x`. */
const absolutePath = /^(?:[/\\]|[a-zA-Z]:)/;

/**
 * Only Administrators see the absolute data folder (GET /host). Anyone else who gives an absolute
 * path gets the engine's answer for a path outside the storage locations (the same text and
 * details, storageRoots.ts), wherever it points: otherwise a Reader could try absolute paths until
 * a disk answered, and so learn where the data folder is.
 */
function refuseAbsolutePathUnlessAdministrator(req: Request, path: string): void {
  if (requestUser(req).role === Role.Administrator || !absolutePath.test(path.trim())) return;
  throw new EngineError(
    ErrorCode.InvalidArgument,
    `The path '${path}' is outside the storage locations of this host.`,
    { field: 'path', path, reason: 'outside-storage' },
  );
}

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
    const input = validateBody(exportVmBody, req);
    const task = await host.exportVm(vmId, input);
    res.status(202).location(taskUrl(task.id)).json({ task });
  });

  router.get('/disks', async (_req, res) => {
    res.json(await host.listDisks());
  });

  router.get('/disks/inspect', async (req, res) => {
    const { path } = validateQuery(inspectDiskQuery, req);
    refuseAbsolutePathUnlessAdministrator(req, path);
    res.json(await host.inspectDisk(path));
  });

  router.get('/host/check', async (_req, res) => {
    res.json(await host.checkHost());
  });

  // Check Host's actions on what it reports as orphaned (Administrators; the engine logs them).
  router.post('/host/orphaned-files/actions/remove', async (req, res) => {
    const { path } = validateBody(removeOrphanedFileBody, req);
    await host.removeOrphanedFile(path);
    res.status(204).end();
  });

  // Mounted before the VM routes, so that "attach-orphaned-disk" is not read as a power action.
  router.post('/vms/:vmId/actions/attach-orphaned-disk', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const { path, controllerType, controllerNumber, controllerLocation } = validateBody(
      attachOrphanedDiskBody,
      req,
    );
    res.json(
      await host.attachOrphanedDisk(vmId, {
        path,
        ...(controllerType === undefined ? {} : { controllerType }),
        ...(controllerNumber === undefined ? {} : { controllerNumber }),
        ...(controllerLocation === undefined ? {} : { controllerLocation }),
      }),
    );
  });

  return router;
}
