import { Router } from 'express';
import type { Host, VmId } from '@hvm/engine';
import { validateBody, validateParams } from '../http/validate.js';
import { connectNetworkAdapterBody } from '../http/switchSchemas.js';
import {
  addNetworkAdapterBody,
  renameNetworkAdapterBody,
  scsiControllerParams,
} from '../http/deviceSchemas.js';
import { apiPrefix } from './paths.js';

const vmUrl = (vmId: string): string => `${apiPrefix}/vms/${encodeURIComponent(vmId)}`;

/**
 * A VM's network adapters (Add-, Remove-, Rename-, Connect-, Disconnect-VMNetworkAdapter, one
 * adapter by its ID) and SCSI controllers (Add-, Remove-VMScsiController). Administrators only
 * (the catalogue's `manageHost`, applied by the route table); each change is logged as a change
 * of the VM's settings.
 */
export function vmDeviceRoutes(host: Host): Router {
  const router = Router();
  const vmId = (id: string): VmId => id as VmId;

  router.post('/vms/:vmId/network-adapters', async (req, res) => {
    const input = validateBody(addNetworkAdapterBody, req);
    const vm = await host.addNetworkAdapter(vmId(req.params.vmId), input);
    const added = vm.networkAdapters?.at(-1);
    const url = `${vmUrl(vm.id)}/network-adapters/${encodeURIComponent(added?.id ?? '')}`;
    res.status(201).location(url).json(vm);
  });

  router.patch('/vms/:vmId/network-adapters/:adapterId', async (req, res) => {
    const { name } = validateBody(renameNetworkAdapterBody, req);
    res.json(await host.renameNetworkAdapter(vmId(req.params.vmId), req.params.adapterId, name));
  });

  router.delete('/vms/:vmId/network-adapters/:adapterId', async (req, res) => {
    res.json(await host.removeNetworkAdapter(vmId(req.params.vmId), req.params.adapterId));
  });

  router.post('/vms/:vmId/network-adapters/:adapterId/actions/connect', async (req, res) => {
    const { switchId } = validateBody(connectNetworkAdapterBody, req);
    res.json(
      await host.connectNetworkAdapter(vmId(req.params.vmId), switchId, req.params.adapterId),
    );
  });

  router.post('/vms/:vmId/network-adapters/:adapterId/actions/disconnect', async (req, res) => {
    res.json(await host.disconnectNetworkAdapter(vmId(req.params.vmId), req.params.adapterId));
  });

  router.post('/vms/:vmId/scsi-controllers', async (req, res) => {
    const vm = await host.addScsiController(vmId(req.params.vmId));
    const added = vm.scsiControllers?.at(-1)?.controllerNumber ?? 0;
    res
      .status(201)
      .location(`${vmUrl(vm.id)}/scsi-controllers/${added}`)
      .json(vm);
  });

  router.delete('/vms/:vmId/scsi-controllers/:controllerNumber', async (req, res) => {
    const { controllerNumber } = validateParams(scsiControllerParams, req);
    res.json(await host.removeScsiController(vmId(req.params.vmId), controllerNumber));
  });

  return router;
}
