import type { DiskFileInfo } from '@hvm/engine';

/**
 * The Edit Virtual Hard Disk wizard's pages and actions. Which actions a disk offers follows
 * Hyper-V's help for the wizard ("Edit Virtual Hard Disk Wizard": Compact applies to dynamically
 * expanding and differencing disks, Convert to dynamic and fixed ones, Expand to dynamic and fixed
 * ones, Merge to differencing ones only). This host does not expand fixed disks (Resize-VHD
 * refuses them here), so a fixed disk offers Convert only.
 */
export const EDIT_DISK_PAGES = [
  'Before You Begin',
  'Locate Disk',
  'Choose Action',
  'Configure Disk',
  'Summary',
] as const;
export type EditDiskPage = (typeof EDIT_DISK_PAGES)[number];

export type EditDiskAction = 'compact' | 'convert' | 'expand' | 'merge';

/** The action's caption and what it does (our sentences; Hyper-V's own page text is not known). */
export const EDIT_DISK_ACTIONS: Record<EditDiskAction, { caption: string; description: string }> = {
  compact: {
    caption: 'Compact',
    description:
      'Makes the file smaller by removing the blocks that hold no data, or only zeros. The disk keeps its maximum size.',
  },
  convert: {
    caption: 'Convert',
    description:
      'Copies the disk into a new file of another type: dynamically expanding or fixed size.',
  },
  expand: {
    caption: 'Expand',
    description: 'Makes the virtual hard disk larger.',
  },
  merge: {
    caption: 'Merge',
    description:
      'Combines the changes stored in this differencing disk with its parent disk, or with a copy of both in a new disk.',
  },
};

export function actionsFor(type: DiskFileInfo['type']): EditDiskAction[] {
  if (type === 'Dynamic') return ['compact', 'convert', 'expand'];
  if (type === 'Fixed') return ['convert'];
  return ['compact', 'merge'];
}

/** The wizard's pages for an action: Compact has nothing to configure. */
export function pagesFor(action: EditDiskAction | null): EditDiskPage[] {
  return EDIT_DISK_PAGES.filter((p) => p !== 'Configure Disk' || action !== 'compact');
}

/** Where a converted or merged copy goes by default: beside the disk, named after it. */
export function suggestedCopyPath(path: string, suffix: string): string {
  const base = path.replace(/\.a?vhdx$/i, '');
  return `${base}-${suffix}.vhdx`;
}

export const GB = 1024 ** 3;
