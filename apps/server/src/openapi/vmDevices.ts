/** A VM's network adapters and SCSI controllers in the OpenAPI document. */
import { z } from 'zod';
import { addNetworkAdapterBody, renameNetworkAdapterBody } from '../http/deviceSchemas.js';
import { connectNetworkAdapterBody } from '../http/switchSchemas.js';
import { json, location, operation, pathParam, vmIdParam } from './operations.js';
import { ref } from './schemas.js';
import type { PathItemObject } from './types.js';

const adapterIdParam = pathParam('adapterId', "The network adapter's id (a GUID).");
const controllerNumberParam = pathParam('controllerNumber', 'The SCSI controller number (0-3).');
const vmAnswer = (description: string) => ({ description, content: json(ref('VmDetail')) });
const adapter = { tag: 'vms', parameters: [vmIdParam, adapterIdParam] };

export const vmDevicePaths: Record<string, PathItemObject> = {
  '/vms/{vmId}/network-adapters': {
    post: operation({
      operationId: 'addNetworkAdapter',
      summary:
        'Add-VMNetworkAdapter: a new adapter, last in the list (up to 8, and 4 legacy on generation 1); Off, or Running for a generation 2 VM',
      tag: 'vms',
      parameters: [vmIdParam],
      body: { schema: addNetworkAdapterBody, required: true },
      errors: { conflicts: true },
      responses: {
        '201': {
          ...vmAnswer('The VM with its new adapter last in networkAdapters.'),
          headers: location('URL of the new adapter.'),
        },
      },
    }),
  },
  '/vms/{vmId}/network-adapters/{adapterId}': {
    patch: operation({
      ...adapter,
      operationId: 'renameNetworkAdapter',
      summary: 'Rename-VMNetworkAdapter -NewName',
      body: { schema: renameNetworkAdapterBody, required: true },
      errors: { conflicts: true },
      responses: { '200': vmAnswer('The VM.') },
    }),
    delete: operation({
      ...adapter,
      operationId: 'removeNetworkAdapter',
      summary: "Remove-VMNetworkAdapter: Off, or Running for a generation 2 VM's synthetic adapter",
      errors: { conflicts: true },
      responses: { '200': vmAnswer('The VM without the adapter.') },
    }),
  },
  '/vms/{vmId}/network-adapters/{adapterId}/actions/connect': {
    post: operation({
      ...adapter,
      operationId: 'connectNetworkAdapterById',
      summary: 'Connect-VMNetworkAdapter: this adapter is connected to the switch',
      body: { schema: connectNetworkAdapterBody, required: true },
      errors: { conflicts: true },
      responses: { '200': vmAnswer('The VM.') },
    }),
  },
  '/vms/{vmId}/network-adapters/{adapterId}/actions/disconnect': {
    post: operation({
      ...adapter,
      operationId: 'disconnectNetworkAdapterById',
      summary: 'Disconnect-VMNetworkAdapter: this adapter stays, "Not connected"',
      body: { schema: z.strictObject({}), required: false },
      errors: { conflicts: true },
      responses: { '200': vmAnswer('The VM.') },
    }),
  },
  '/vms/{vmId}/scsi-controllers': {
    post: operation({
      operationId: 'addScsiController',
      summary: 'Add-VMScsiController: the next controller number (up to 4); only while Off',
      tag: 'vms',
      parameters: [vmIdParam],
      errors: { conflicts: true },
      responses: {
        '201': {
          ...vmAnswer('The VM with its new controller last in scsiControllers.'),
          headers: location('URL of the new controller.'),
        },
      },
    }),
  },
  '/vms/{vmId}/scsi-controllers/{controllerNumber}': {
    delete: operation({
      operationId: 'removeScsiController',
      summary:
        'Remove-VMScsiController: an empty controller, only while Off; the later controllers and their drives move down a number',
      tag: 'vms',
      parameters: [vmIdParam, controllerNumberParam],
      errors: { conflicts: true },
      responses: { '200': vmAnswer('The VM without the controller.') },
    }),
  },
};
