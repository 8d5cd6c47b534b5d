/**
 * The operation catalogue's rows for virtual hard disks of no VM (New-VHD and the Edit Virtual
 * Hard Disk wizard's Compact, Convert, Expand and Merge), spread into `OPERATIONS`.
 * Administrators run them; each is recorded without a VM, with its user, the disk and the outcome.
 * Hyper-V records these in no VMMS log whose texts are published: the Operation column takes the
 * names of Hyper-V Manager's wizards, and the messages are this host's own, worded as the
 * catalogue's others.
 */
import { EventIds } from '../eventLog/eventCatalog.js';
import type {
  ConvertVirtualHardDiskInput,
  DiskInspection,
  MergeVirtualHardDiskInput,
  NewVirtualHardDiskInput,
  OptimizeVirtualHardDiskInput,
  ResizeVirtualHardDiskInput,
} from '../disk/diskTypes.js';
import { RequiredPermission } from './requiredPermission.js';

const { ManageHost } = RequiredPermission;

const NEW_DISK = 'New virtual hard disk';
const EDIT_DISK = 'Edit virtual hard disk';

/** An edit's events: what it did to the disk named by its input's `path`. */
function diskEvents<I extends { path: string }>(
  operation: string,
  succeeded: (typeof EventIds)['VirtualHardDiskCreated' | 'VirtualHardDiskEdited'],
  verb: string,
  done: (input: I, result: DiskInspection) => string,
) {
  return {
    operation,
    succeeded,
    failed: EventIds.VirtualHardDiskEditFailed,
    aboutNoVm: true as const,
    success: ({ args: [input], result }: { args: [I]; result: DiskInspection }) =>
      done(input, result),
    failure: ({ args: [input], reason }: { args: [I]; reason: string }) =>
      `Failed to ${verb} the virtual hard disk '${String(input.path)}'. ${reason}`,
  };
}

export const DISK_OPERATIONS = {
  createVirtualHardDisk: {
    permission: ManageHost,
    scope: 'host' as const,
    events: diskEvents<NewVirtualHardDiskInput>(
      NEW_DISK,
      EventIds.VirtualHardDiskCreated,
      'create',
      (_input, disk) => `The virtual hard disk '${disk.path}' was created (${disk.type}).`,
    ),
  },
  mergeVirtualHardDisk: {
    permission: ManageHost,
    scope: 'host' as const,
    events: diskEvents<MergeVirtualHardDiskInput>(
      EDIT_DISK,
      EventIds.VirtualHardDiskEdited,
      'merge',
      (input, disk) => `The virtual hard disk '${input.path}' was merged into '${disk.path}'.`,
    ),
  },
  resizeVirtualHardDisk: {
    permission: ManageHost,
    scope: 'host' as const,
    events: diskEvents<ResizeVirtualHardDiskInput>(
      EDIT_DISK,
      EventIds.VirtualHardDiskEdited,
      'resize',
      (_input, disk) =>
        `The virtual hard disk '${disk.path}' was resized to ${disk.virtualSizeBytes} bytes.`,
    ),
  },
  convertVirtualHardDisk: {
    permission: ManageHost,
    scope: 'host' as const,
    events: diskEvents<ConvertVirtualHardDiskInput>(
      EDIT_DISK,
      EventIds.VirtualHardDiskEdited,
      'convert',
      (input, disk) =>
        `The virtual hard disk '${input.path}' was converted to '${disk.path}' (${disk.type}).`,
    ),
  },
  optimizeVirtualHardDisk: {
    permission: ManageHost,
    scope: 'host' as const,
    events: diskEvents<OptimizeVirtualHardDiskInput>(
      EDIT_DISK,
      EventIds.VirtualHardDiskEdited,
      'compact',
      (input, disk) =>
        `The virtual hard disk '${disk.path}' was compacted (${input.mode ?? 'Quick'}).`,
    ),
  },
};
