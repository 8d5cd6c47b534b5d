import { Router } from 'express';
import type { Host, VmId } from '@hvm/engine';
import { validateBody } from '../http/validate.js';
import {
  connectNetworkAdapterBody,
  newVirtualSwitchBody,
  updateVirtualSwitchBody,
} from '../http/switchSchemas.js';
import { apiPrefix } from './paths.js';

const switchUrl = (switchId: string): string =>
  `${apiPrefix}/virtual-switches/${encodeURIComponent(switchId)}`;

/**
 * Virtual Switch Manager (New-, Get-, Set-, Rename-, Remove-VMSwitch) and a VM's network adapter
 * (Connect-, Disconnect-VMNetworkAdapter). Everyone signed in sees the switches; only
 * Administrators change them (the catalogue's `manageHost`, applied by the route table).
 */
export function virtualSwitchRoutes(host: Host): Router {
  const router = Router();

  router.get('/virtual-switches', (_req, res) => {
    res.json(host.listVirtualSwitches());
  });

  router.post('/virtual-switches', async (req, res) => {
    const input = validateBody(newVirtualSwitchBody, req);
    const created = await host.createVirtualSwitch(input);
    res.status(201).location(switchUrl(created.id)).json(created);
  });

  router.patch('/virtual-switches/:switchId', async (req, res) => {
    const update = validateBody(updateVirtualSwitchBody, req);
    res.json(await host.updateVirtualSwitch(req.params.switchId, update));
  });

  router.delete('/virtual-switches/:switchId', async (req, res) => {
    res.json(await host.removeVirtualSwitch(req.params.switchId));
  });

  router.post('/vms/:vmId/network-adapter/actions/connect', async (req, res) => {
    const { switchId } = validateBody(connectNetworkAdapterBody, req);
    res.json(await host.connectNetworkAdapter(req.params.vmId as VmId, switchId));
  });

  router.post('/vms/:vmId/network-adapter/actions/disconnect', async (req, res) => {
    res.json(await host.disconnectNetworkAdapter(req.params.vmId as VmId));
  });

  return router;
}
