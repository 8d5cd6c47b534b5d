/** Attaching an existing disk to a VM (Add-VMHardDiskDrive -Path) in the OpenAPI document. */
import { addHardDriveBody } from '../http/hardDriveSchemas.js';
import { json, operation, vmIdParam } from './operations.js';
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
};
