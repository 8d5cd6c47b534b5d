/** The Edit Virtual Hard Disk actions in the OpenAPI document. */
import {
  compactDiskBody,
  convertDiskBody,
  expandDiskBody,
  mergeDiskBody,
  newDiskBody,
} from '../http/diskEditSchemas.js';
import { json, location, operation } from './operations.js';
import { ref } from './schemas.js';
import type { PathItemObject } from './types.js';

const disk = (description: string) => ({ description, content: json(ref('DiskInspection')) });

/** POST /disks, merged into the `/disks` item of disks.ts by the document. */
export const newDiskOperation = operation({
  operationId: 'createDisk',
  summary:
    'New Virtual Hard Disk (New-VHD): a dynamic or fixed .vhdx of a size, or a differencing .vhdx of a parent',
  tag: 'disks',
  body: { schema: newDiskBody, required: true },
  errors: { conflicts: true },
  responses: {
    '201': {
      ...disk('The new disk.'),
      headers: location('Inspect Disk of the new disk.'),
    },
  },
});

export const diskEditPaths: Record<string, PathItemObject> = {
  '/disks/actions/compact': {
    post: operation({
      operationId: 'compactDisk',
      summary:
        'Compact (Optimize-VHD): a dynamic or differencing disk rewritten without unused blocks (Full, Prezeroed: also zero blocks)',
      tag: 'disks',
      body: { schema: compactDiskBody, required: true },
      errors: { conflicts: true },
      responses: { '200': disk('The disk, compacted.') },
    }),
  },
  '/disks/actions/convert': {
    post: operation({
      operationId: 'convertDisk',
      summary: 'Convert (Convert-VHD): the disk copied into a new dynamic or fixed .vhdx',
      tag: 'disks',
      body: { schema: convertDiskBody, required: true },
      errors: { conflicts: true },
      responses: { '201': disk('The new disk.') },
    }),
  },
  '/disks/actions/expand': {
    post: operation({
      operationId: 'expandDisk',
      summary: 'Expand (Resize-VHD -SizeBytes): a dynamic or differencing disk gets a new size',
      tag: 'disks',
      body: { schema: expandDiskBody, required: true },
      errors: { conflicts: true },
      responses: { '200': disk('The disk, resized.') },
    }),
  },
  '/disks/actions/merge': {
    post: operation({
      operationId: 'mergeDisk',
      summary:
        'Merge (Merge-VHD): a differencing disk folded into its parent (or an ancestor); the merged files go',
      tag: 'disks',
      body: { schema: mergeDiskBody, required: true },
      errors: { conflicts: true },
      responses: { '200': disk('The disk merged into.') },
    }),
  },
};
