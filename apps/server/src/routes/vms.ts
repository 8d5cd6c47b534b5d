import { Router } from 'express';
import type { Host } from '@hvm/engine';
import {
  applyCheckpointBody,
  createVmBody,
  emptyBody,
  updateVmBody,
  vmActionParams,
  vmParams,
} from '../http/schemas.js';
import { validateBody, validateParams } from '../http/validate.js';
import { vmUrl } from './paths.js';

export function vmRoutes(host: Host): Router {
  const router = Router();

  router.get('/vms', (_req, res) => {
    res.json(host.listVms());
  });

  router.post('/vms', async (req, res) => {
    const input = validateBody(createVmBody, req);
    const vm = await host.createVm(input);
    res.status(201).location(vmUrl(vm.id)).json(vm);
  });

  router.get('/vms/:vmId', (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    res.json(host.getVm(vmId));
  });

  router.patch('/vms/:vmId', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const update = validateBody(updateVmBody, req);
    res.json(await host.updateVmSettings(vmId, update));
  });

  router.delete('/vms/:vmId', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    await host.deleteVm(vmId);
    res.status(204).end();
  });

  // Registered before `/actions/:action` so that "revert" is not read as a power action.
  router.post('/vms/:vmId/actions/revert', async (req, res) => {
    const { vmId } = validateParams(vmParams, req);
    const input = validateBody(applyCheckpointBody, req);
    res.json(await host.revertVm(vmId, input));
  });

  router.post('/vms/:vmId/actions/:action', async (req, res) => {
    const { vmId, action } = validateParams(vmActionParams, req);
    validateBody(emptyBody, req);
    res.json(await host.changeVmState(vmId, action));
  });

  return router;
}
