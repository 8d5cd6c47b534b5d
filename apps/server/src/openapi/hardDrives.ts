/** Attaching an existing disk to a VM (Add-VMHardDiskDrive -Path) in the OpenAPI document. */
import { addHardDriveBody } from '../http/hardDriveSchemas.js';
import { json, operation, pathParam, vmIdParam } from './operations.js';
import { ref } from './schemas.js';
import type { PathItemObject } from './types.js';

export const hardDrivePaths: Record<string, PathItemObject> = {
  '/vms/{vmId}/hard-drives': {
    post: operation({
      operationId: 'addHardDiskDrive',
      summary:
        'Add-VMHardDiskDrive -Path: an existing .vhdx in the data folder that no VM uses joins the VM (Off, no checkpoints) on the next free or the given controller location',
      tag: 'vms',
      parameters: [vmIdParam],
      body: { schema: addHardDriveBody, required: true },
      errors: { conflicts: true },
      responses: {
        '201': { description: 'The VM with its new drive.', content: json(ref('VmDetail')) },
      },
    }),
  },
  '/vms/{vmId}/hard-drives/{controllerLocation}': {
    delete: operation({
      operationId: 'removeHardDiskDrive',
      summary:
        'Remove-VMHardDiskDrive: the drive at a controller location ("SCSI 1:0") is detached (Off, no checkpoints); its disk file stays',
      tag: 'vms',
      parameters: [
        vmIdParam,
        pathParam('controllerLocation', 'The drive\'s controller location, e.g. "SCSI 1:0".'),
      ],
      errors: { conflicts: true },
      responses: {
        '200': { description: 'The VM without the drive.', content: json(ref('VmDetail')) },
      },
    }),
  },
};
