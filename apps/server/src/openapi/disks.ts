/** Export, Inspect Disk, the host's disk files and Check Host in the OpenAPI document. */
import { attachOrphanedDiskBody, exportBody, removeOrphanedFileBody } from '../http/diskSchemas.js';
import { exportVmBody } from '../http/importSchemas.js';
import { checkpointIdParam, json, location, operation, vmIdParam } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });
const list = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

const diskUser = object({
  vmId: str,
  vmName: str,
  role: { type: 'string', enum: ['Now', 'Checkpoint', 'Chain'] },
  checkpointId: nullable(str),
  checkpointName: nullable(str),
});

const diskFileProperties: Record<string, JsonSchema> = {
  path: str,
  format: { type: 'string', enum: ['VHDX'] },
  type: { type: 'string', enum: ['Dynamic', 'Fixed', 'Differencing'] },
  virtualSizeBytes: int,
  fileSizeBytes: int,
  allocatedBytes: int,
  logicalSectorSize: int,
  physicalSectorSize: int,
  blockSizeBytes: int,
  virtualDiskId: str,
  parentPath: nullable(str),
  usedBy: list(ref('DiskUser')),
};

export const diskSchemas: Record<string, JsonSchema> = {
  DiskUser: diskUser,
  DiskFileInfo: object(diskFileProperties),
  DiskInspection: object({ ...diskFileProperties, chain: list(ref('DiskFileInfo')) }),
  DiskFileEntry: object({
    path: str,
    extension: { type: 'string', enum: ['vhdx', 'avhdx'] },
    fileSizeBytes: int,
    allocatedBytes: int,
    usedBy: list(ref('DiskUser')),
  }),
  HostCheckReport: object({
    ok: { type: 'boolean' },
    checkedAt: { type: 'string', format: 'date-time' },
    orphanedDisks: list(object({ path: str, parentPath: nullable(str), reason: str })),
    brokenChains: list(
      object({
        vmId: str,
        vmName: str,
        disk: str,
        expectedParent: nullable(str),
        actualParent: nullable(str),
        error: nullable(str),
      }),
    ),
    orphanedFiles: list(
      object({
        path: str,
        kind: { type: 'string', enum: ['Checkpoint configuration', 'Saved state'] },
        reason: str,
      }),
    ),
    missingFiles: list(object({ vmId: str, vmName: str, path: str, usedBy: str })),
    skippedVms: list(object({ vmId: str, vmName: str, reason: str })),
  }),
  ExportAccepted: object({ task: ref('Task') }),
};

const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const accepted = {
  description: 'The export runs as the "Exporting virtual machine" task.',
  content: json(ref('ExportAccepted')),
  headers: location('URL of the task.'),
};
const pathQuery = {
  name: 'path',
  in: 'query' as const,
  required: true,
  description: "The disk file, relative to the host's data folder.",
  schema: { type: 'string' },
};

export const diskPaths: Record<string, PathItemObject> = {
  '/vms/{vmId}/checkpoints/{checkpointId}/actions/export': {
    post: operation({
      operationId: 'exportCheckpoint',
      summary:
        'Export (Export-VMSnapshot): the checkpoint as a VM under `<path>/<VM name>/`, disks flattened',
      tag: 'checkpoints',
      parameters: [vmIdParam, checkpointIdParam],
      body: { schema: exportBody, required: true },
      errors: { conflicts: true },
      responses: { '202': accepted },
    }),
  },
  '/vms/{vmId}/actions/export': {
    post: operation({
      operationId: 'exportVm',
      summary:
        "Export (Export-VM): the VM as it is now (Off or Saved) in Hyper-V's layout, with its checkpoints and disk chain as they are (`flatten`: one standalone disk per drive, no checkpoints)",
      tag: 'vms',
      parameters: [vmIdParam],
      body: { schema: exportVmBody, required: true },
      errors: { conflicts: true },
      responses: { '202': accepted },
    }),
  },
  '/disks': {
    get: operation({
      operationId: 'listDisks',
      summary: 'Every .vhdx and .avhdx file in the data folder, with the VMs using it',
      tag: 'disks',
      responses: { '200': ok('The disk files.', list(ref('DiskFileEntry'))) },
    }),
  },
  '/disks/inspect': {
    get: operation({
      operationId: 'inspectDisk',
      summary: "Inspect Disk: a disk's type, sizes and parent chain",
      tag: 'disks',
      parameters: [pathQuery],
      responses: { '200': ok('The disk and its chain.', ref('DiskInspection')) },
    }),
  },
  '/host/check': {
    get: operation({
      operationId: 'checkHost',
      summary:
        'Check Host: orphaned .avhdx files, orphaned checkpoint configurations and saved states, broken chains, missing files (changes nothing)',
      tag: 'host',
      responses: { '200': ok('The report.', ref('HostCheckReport')) },
    }),
  },
  '/host/orphaned-files/actions/remove': {
    post: operation({
      operationId: 'removeOrphanedFile',
      summary:
        'Check Host > Remove: deletes one orphaned disk or file that Check Host reports (logged); an orphaned disk another orphaned disk uses as its parent is refused',
      tag: 'host',
      body: { schema: removeOrphanedFileBody, required: true },
      errors: { conflicts: true },
      responses: { '204': { description: 'Removed.' } },
    }),
  },
  '/vms/{vmId}/actions/attach-orphaned-disk': {
    post: operation({
      operationId: 'attachOrphanedDisk',
      summary:
        'Check Host > Attach: an orphaned differencing disk Check Host reports becomes a new hard drive of the VM (Off, without checkpoints), as Add-VMHardDiskDrive',
      tag: 'vms',
      parameters: [vmIdParam],
      body: { schema: attachOrphanedDiskBody, required: true },
      errors: { conflicts: true },
      responses: { '200': ok('The VM with its new drive.', ref('VmDetail')) },
    }),
  },
};
