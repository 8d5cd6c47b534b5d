import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { validateBody } from '../http/validate.js';
import { compareVmBody, importVmBody } from '../http/importSchemas.js';
import { vmUrl } from './paths.js';

/**
 * Import Virtual Machine (Import-VM) and its check (Compare-VM). Both are Administrators' only
 * (the catalogue's `manageHost`): they read any folder of the data folder. Mounted before the VM
 * routes, so that "import" is never read as a VM id.
 */
export function importRoutes(host: Host): Router {
  const router = Router();

  router.post('/vms/import/compare', async (req, res) => {
    const input = validateBody(compareVmBody, req);
    res.json(await host.compareVm(input));
  });

  router.post('/vms/import', async (req, res) => {
    const input = validateBody(importVmBody, req);
    const vm = await host.importVm(input);
    res.status(201).location(vmUrl(vm.id)).json(vm);
  });

  return router;
}
