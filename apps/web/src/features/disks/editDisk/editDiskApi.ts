import type { DiskInspection } from '@hvm/engine';
import { request } from '../../../api/client';

/** One Finish of the wizard: the request its action makes (POST /disks/actions/...). */
export type EditDiskRequest =
  | { action: 'compact'; path: string }
  | {
      action: 'convert';
      path: string;
      destinationPath: string;
      vhdType: 'Dynamic' | 'Fixed';
    }
  | { action: 'expand'; path: string; sizeBytes: number }
  | { action: 'merge'; path: string };

/** Runs the edit; answers the disk as it is afterwards (a new disk for Convert). */
export function editDisk(edit: EditDiskRequest): Promise<DiskInspection> {
  const { action, ...body } = edit;
  // Compact is Optimize-VHD -Mode Full: the blocks of zeros a guest left go too.
  const payload = action === 'compact' ? { ...body, mode: 'Full' } : body;
  return request<DiskInspection>(`/disks/actions/${action}`, { method: 'POST', body: payload });
}
