import { Router } from 'express';
import type { Host } from '@hvm/engine';
import { validateBody } from '../http/validate.js';
import {
  compactDiskBody,
  convertDiskBody,
  expandDiskBody,
  mergeDiskBody,
  newDiskBody,
} from '../http/diskEditSchemas.js';

/**
 * New Virtual Hard Disk (New-VHD: 201 and the disk), and the Edit Virtual Hard Disk wizard's actions: Compact (Optimize-VHD), Convert (Convert-VHD, a
 * new file: 201), Expand (Resize-VHD) and Merge (Merge-VHD). Each answers the disk as it is now
 * (Merge: the disk merged into). Administrators only (the operation catalogue's rows).
 */
export function diskEditRoutes(host: Host): Router {
  const router = Router();

  router.post('/disks', async (req, res) => {
    const input = validateBody(newDiskBody, req);
    const disk = await host.createVirtualHardDisk(
      'parentPath' in input
        ? input
        : { path: input.path, sizeBytes: input.sizeBytes, fixed: input.fixed === true },
    );
    res
      .status(201)
      .location(`/api/v1/disks/inspect?path=${encodeURIComponent(disk.path)}`)
      .json(disk);
  });

  router.post('/disks/actions/compact', async (req, res) => {
    const { path, mode } = validateBody(compactDiskBody, req);
    res.json(await host.optimizeVirtualHardDisk(mode === undefined ? { path } : { path, mode }));
  });

  router.post('/disks/actions/convert', async (req, res) => {
    const input = validateBody(convertDiskBody, req);
    res.status(201).json(await host.convertVirtualHardDisk(input));
  });

  router.post('/disks/actions/expand', async (req, res) => {
    const input = validateBody(expandDiskBody, req);
    res.json(await host.resizeVirtualHardDisk(input));
  });

  router.post('/disks/actions/merge', async (req, res) => {
    const { path, destinationPath } = validateBody(mergeDiskBody, req);
    res.json(
      await host.mergeVirtualHardDisk(
        destinationPath === undefined ? { path } : { path, destinationPath },
      ),
    );
  });

  return router;
}
