import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Host, VmSummary } from '@hvm/engine';
import {
  applyCheckpointBody,
  createVmBody,
  emptyBody,
  updateVmBody,
  vmActionParams,
  vmParams,
} from '../http/schemas.js';
import { validateBody, validateParams } from '../http/validate.js';
import { cachedAnswer, sendCachedAnswer, type CachedAnswer } from '../http/cachedAnswer.js';
import { addHardDriveBody } from '../http/hardDriveSchemas.js';
import { vmUrl } from './paths.js';
import { withVmRules } from './rulesInBodies.js';

/** How long a list with running VMs is served as it is (their uptime and CPU move on). */
const RUNNING_LIST_MAX_AGE_MS = 1000;

interface SerializedList {
  answer: CachedAnswer;
  builtAt: number;
  revision: number;
  running: boolean;
}

/**
 * The VM list as JSON bytes, serialized once and served until the host reports a change (any
 * event), or for a second while a VM runs (each summary says the instant it describes in
 * `observedAt`). Each version has its own ETag, so a client can revalidate it cheaply, and its
 * gzip encoding is made once (http/cachedAnswer.ts).
 */
function serializedVmList(host: Host): () => SerializedList {
  const instance = randomBytes(4).toString('hex');
  let revision = 0;
  let subscribed = false;
  let cached: SerializedList | null = null;
  const stillRunning = (vm: VmSummary): boolean => vm.state !== 'Off' && vm.state !== 'Saved';
  return () => {
    if (!subscribed) {
      subscribed = true;
      host.subscribe(() => {
        revision += 1;
      });
    }
    const now = Date.now();
    const expired =
      cached !== null && cached.running && now - cached.builtAt >= RUNNING_LIST_MAX_AGE_MS;
    if (cached?.revision !== revision || expired) {
      const vms = host.listVms().map(withVmRules);
      cached = {
        answer: cachedAnswer(
          Buffer.from(JSON.stringify(vms)),
          `W/"${instance}-${revision.toString(36)}-${now.toString(36)}"`,
        ),
        builtAt: now,
        revision,
        running: vms.some(stillRunning),
      };
    }
    return cached;
  };
}

export function vmRoutes(host: Host): Router {
  const router = Router();
  const vmList = serializedVmList(host);

  router.get('/vms', (req, res) => {
    sendCachedAnswer(req, res, vmList().answer);
  });

  router.post('/vms', async (req, res) => {
    const input = validateBody(createVmBody, req);
    const vm = await host.createVm(input);
    res.status(201).location(vmUrl(vm.id)).json(withVmRules(vm));
  });

  router.get('/vms/:vmId', (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    res.json(withVmRules(host.getVm(vmId)));
  });

  router.patch('/vms/:vmId', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const update = validateBody(updateVmBody, req);
    res.json(withVmRules(await host.updateVmSettings(vmId, update)));
  });

  // Add-VMHardDiskDrive -Path: an existing disk joins the VM (Off, without checkpoints).
  router.post('/vms/:vmId/hard-drives', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const input = validateBody(addHardDriveBody, req);
    res.status(201).json(withVmRules(await host.addHardDiskDrive(vmId, input)));
  });

  // Remove-VMHardDiskDrive: the drive at "SCSI 1:0" goes; its disk file stays (Off, no checkpoints).
  router.delete('/vms/:vmId/hard-drives/:controllerLocation', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const location = String(req.params.controllerLocation);
    res.json(withVmRules(await host.removeHardDiskDrive(vmId, location)));
  });

  router.delete('/vms/:vmId', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    await host.deleteVm(vmId);
    res.status(204).end();
  });

  // Registered before `/actions/:action` so that "revert" and "delete-saved-state" are not read as power actions.
  router.post('/vms/:vmId/actions/revert', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const input = validateBody(applyCheckpointBody, req);
    res.json(withVmRules(await host.revertVm(vmId, input)));
  });

  router.post('/vms/:vmId/actions/delete-saved-state', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    validateBody(emptyBody, req);
    res.json(withVmRules(await host.deleteSavedState(vmId)));
  });

  router.post('/vms/:vmId/actions/:action', async (req, res) => {
    const { vmId, action } = validateParams(vmActionParams, req);
    validateBody(emptyBody, req);
    res.json(withVmRules(await host.changeVmState(vmId, action)));
  });

  return router;
}
