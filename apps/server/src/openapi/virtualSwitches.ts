/** Virtual switches and a VM's network adapter in the OpenAPI document. */
import { z } from 'zod';
import {
  connectNetworkAdapterBody,
  newVirtualSwitchBody,
  updateVirtualSwitchBody,
} from '../http/switchSchemas.js';
import { hostSettingsBody } from '../http/hostSettingsSchemas.js';
import { json, location, operation, pathParam, vmIdParam } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };
const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });
function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

const switchIdParam = pathParam('switchId', 'The virtual switch id (GUID).');

export const switchSchemas: Record<string, JsonSchema> = {
  VirtualSwitch: object({
    id: str,
    name: str,
    switchType: { type: 'string', enum: ['Private', 'Internal', 'External'] },
    notes: str,
    isDefaultSwitch: { type: 'boolean' },
    connectedAdapterCount: { type: 'integer', minimum: 0 },
  }),
  RemovedVirtualSwitch: object({
    virtualSwitch: ref('VirtualSwitch'),
    disconnectedVmIds: { type: 'array', items: str },
  }),
  NetworkAdapter: object({
    id: str,
    name: str,
    isLegacy: { type: 'boolean' },
    switchId: nullable(str),
    switchName: nullable(str),
    macAddress: { type: 'string', pattern: '^[0-9A-F]{12}$' },
    dynamicMacAddressEnabled: { type: 'boolean' },
  }),
  ScsiController: object({ controllerNumber: { type: 'integer', minimum: 0, maximum: 3 } }),
};

const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });

/** `PATCH /host`, merged into the `/host` path item of the document. */
export const hostSettingsOperation = operation({
  operationId: 'updateHostSettings',
  summary:
    'Hyper-V Settings (Set-VMHost): the Virtual Hard Disks and Virtual Machines folders for new VMs, inside the data folder',
  tag: 'host',
  body: { schema: hostSettingsBody, required: true },
  errors: { conflicts: true },
  responses: { '200': ok('The host information with the new folders.', ref('HostInfo')) },
});

export const switchPaths: Record<string, PathItemObject> = {
  '/virtual-switches': {
    get: operation({
      operationId: 'listVirtualSwitches',
      summary:
        'Virtual Switch Manager (Get-VMSwitch): the Default Switch first, then the others by name',
      tag: 'host',
      responses: { '200': ok('The switches.', { type: 'array', items: ref('VirtualSwitch') }) },
    }),
    post: operation({
      operationId: 'createVirtualSwitch',
      summary:
        'New virtual network switch (New-VMSwitch): Internal or Private; External is refused (this host has no physical network adapter)',
      tag: 'host',
      body: { schema: newVirtualSwitchBody, required: true },
      errors: { conflicts: true },
      responses: {
        '201': {
          ...ok('The new switch.', ref('VirtualSwitch')),
          headers: location('URL of the new switch.'),
        },
      },
    }),
  },
  '/virtual-switches/{switchId}': {
    patch: operation({
      operationId: 'updateVirtualSwitch',
      summary:
        'Rename-VMSwitch, Set-VMSwitch -Notes / -SwitchType (Private or Internal); the Default Switch cannot be changed',
      tag: 'host',
      parameters: [switchIdParam],
      body: { schema: updateVirtualSwitchBody, required: true },
      errors: { conflicts: true },
      responses: { '200': ok('The switch.', ref('VirtualSwitch')) },
    }),
    delete: operation({
      operationId: 'removeVirtualSwitch',
      summary:
        'Remove-VMSwitch: the adapters connected to it are left "Not connected"; the Default Switch cannot be removed',
      tag: 'host',
      parameters: [switchIdParam],
      errors: { conflicts: true },
      responses: { '200': ok('What was removed and disconnected.', ref('RemovedVirtualSwitch')) },
    }),
  },
  '/vms/{vmId}/network-adapter/actions/connect': {
    post: operation({
      operationId: 'connectNetworkAdapter',
      summary: "Connect-VMNetworkAdapter: the VM's network adapter is connected to the switch",
      tag: 'vms',
      parameters: [vmIdParam],
      body: { schema: connectNetworkAdapterBody, required: true },
      errors: { conflicts: true },
      responses: { '200': ok('The VM.', ref('VmDetail')) },
    }),
  },
  '/vms/{vmId}/network-adapter/actions/disconnect': {
    post: operation({
      operationId: 'disconnectNetworkAdapter',
      summary: 'Disconnect-VMNetworkAdapter: the adapter stays, "Not connected"',
      tag: 'vms',
      parameters: [vmIdParam],
      body: { schema: z.strictObject({}), required: false },
      errors: { conflicts: true },
      responses: { '200': ok('The VM.', ref('VmDetail')) },
    }),
  },
};
