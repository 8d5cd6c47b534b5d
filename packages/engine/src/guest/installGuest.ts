import type { HostContext } from '../host/hostContext.js';
import {
  BOOT_OFFSET,
  DB_OFFSET,
  DB_PAGES,
  VOLUME_OFFSET,
  encodeBootRecord,
  encodeDbHeader,
  encodePage,
  encodeVolume,
  pageOffset,
} from './diskFormat.js';
import { partitionTable } from './partitionTable.js';
import type { GuestImage } from './gallery.js';

/**
 * Quick Create: installs a gallery image on a new VM's disk: a partition table (partitionTable.ts), the boot record
 * with the OS identity, a clean volume and an empty, cleanly closed database (see diskFormat.ts).
 */
export async function installGuest(
  ctx: HostContext,
  diskPath: string,
  image: GuestImage,
  generation: 1 | 2,
  diskSizeBytes: number,
): Promise<void> {
  const writes = [
    ...partitionTable(generation, diskSizeBytes, {
      disk: ctx.ids.newGuid(),
      partition: ctx.ids.newGuid(),
    }),
    {
      offset: BOOT_OFFSET,
      data: encodeBootRecord({
        image: image.name,
        os: image.os,
        app: image.application,
        installedAt: ctx.clock.now().toISOString(),
      }),
    },
    { offset: VOLUME_OFFSET, data: encodeVolume({ clean: true, mountCount: 0 }) },
    {
      offset: DB_OFFSET,
      data: encodeDbHeader({ open: false, backupImage: false, checkpointLsn: 0, invocation: 1 }),
    },
  ];
  for (let page = 0; page < DB_PAGES; page += 1)
    writes.push({ offset: pageOffset(page), data: encodePage(page, { lsn: 0, value: 0 }) });
  await ctx.disks.writeDiskRanges(ctx.store, diskPath, writes);
}
