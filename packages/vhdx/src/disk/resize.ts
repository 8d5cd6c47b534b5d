import { VhdxError } from '../errors.js';
import {
  MAX_VIRTUAL_SIZE,
  META_VIRTUAL_DISK_SIZE,
  MiB,
  PayloadState,
  REGION_BAT,
  REGION_TABLE_OFFSETS,
  REGION_TABLE_SIZE,
} from '../format/constants.js';
import { batGeometry, batRegionLength } from '../format/batGeometry.js';
import { serializeRegionTable } from '../format/regionTable.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { view, writeU64 } from '../util/bytes.js';
import { VhdxFile } from './vhdxFile.js';

/** Metadata entry flags of VirtualDiskSize: IsVirtualDisk and IsRequired (MS-VHDX 2.6.1.2). */
const VIRTUAL_DISK_ITEM_FLAGS = 2 | 4;
/** BAT bytes copied at a time when the table moves. */
const COPY_CHUNK = MiB;

function refuse(message: string, code: 'INVALID_ARGUMENT' | 'UNSUPPORTED' | 'RANGE'): VhdxError {
  return new VhdxError('resize', message, { code });
}

/** The end of the last block that holds data (or may: Fixed disks hold every block). */
async function allocatedEnd(file: VhdxFile): Promise<number> {
  const { blockSize, virtualSize } = file.meta;
  for (let block = file.geometry.dataBlocks - 1; block >= 0; block -= 1) {
    const { state } = await file.payloadEntry(block);
    if (state === PayloadState.FullyPresent || state === PayloadState.PartiallyPresent) {
      return Math.min(virtualSize, (block + 1) * blockSize);
    }
  }
  return 0;
}

/**
 * The smallest size a disk can be shrunk to (Resize-VHD -ToMinimumSize, Get-VHD MinimumSize):
 * the end of its last block that holds data in this file, at least one logical sector and never
 * above its current size.
 */
export async function minimumDiskSize(store: FileStore, path: string): Promise<number> {
  const file = await VhdxFile.open(store, normalizeStorePath(path), false);
  try {
    const end = await allocatedEnd(file);
    const sector = file.meta.logicalSectorSize;
    return Math.max(sector, Math.ceil(end / sector) * sector);
  } finally {
    await file.close();
  }
}

/**
 * Resizes a dynamic or differencing VHDX to `newSize` bytes (MS-VHDX 2.6.2.2: only the
 * VirtualDiskSize item and the BAT change). Growing adds BAT entries (NotPresent: the new space
 * reads as zeros); when the BAT region is too small the table is copied to a new region at the
 * end of the file first, and the region table and the size then change together in one log
 * entry, so a crash leaves the old disk or the new one. Shrinking is refused below the end of
 * the last block holding data ({@link minimumDiskSize}). Fixed disks are refused (UNSUPPORTED).
 */
export async function resizeDisk(store: FileStore, path: string, newSize: number): Promise<void> {
  const p = normalizeStorePath(path);
  const file = await VhdxFile.open(store, p, true);
  try {
    const m = file.meta;
    if (m.leaveBlockAllocated) {
      throw refuse(
        `${p} is a fixed disk; only dynamic and differencing disks are resized here`,
        'UNSUPPORTED',
      );
    }
    if (
      !Number.isSafeInteger(newSize) ||
      newSize <= 0 ||
      newSize > MAX_VIRTUAL_SIZE ||
      newSize % m.logicalSectorSize !== 0
    ) {
      throw refuse(
        `new size ${newSize} must be a positive multiple of ${m.logicalSectorSize} up to 64 TiB`,
        'INVALID_ARGUMENT',
      );
    }
    if (newSize === m.virtualSize) return;
    if (newSize < m.virtualSize) {
      const end = await allocatedEnd(file);
      if (newSize < end) {
        throw refuse(
          `new size ${newSize} is below the end of the data at ${end} (the minimum size)`,
          'RANGE',
        );
      }
    }
    const differencing = m.parentLocator !== null;
    const geometry = batGeometry(newSize, m.blockSize, m.logicalSectorSize, differencing);
    const needed = batRegionLength(geometry);
    const bat = file.layout.bat;
    if (needed > bat.length) await moveBat(file, needed);
    const size = new Uint8Array(8);
    writeU64(view(size), 0, newSize);
    await file.beginUserChange();
    // One log entry: the size, and the region table when the BAT moved.
    await file.replaceMetadataItems([
      { itemId: META_VIRTUAL_DISK_SIZE, isUser: false, data: size, flags: VIRTUAL_DISK_ITEM_FLAGS },
    ]);
  } finally {
    await file.close();
  }
}

/**
 * Copies the BAT to a zeroed region of `length` bytes at the end of the file (durable before
 * anything points at it) and stages both region tables with the new BAT region as dirty pages,
 * for the next log entry to write.
 */
async function moveBat(file: VhdxFile, length: number): Promise<void> {
  const old = file.layout.bat;
  const at = await file.allocate(length);
  const chunk = new Uint8Array(COPY_CHUNK);
  for (let done = 0; done < old.length; done += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, old.length - done));
    await file.readAt(part, old.fileOffset + done);
    await file.writePayload(part, at + done);
  }
  await file.handle.sync();
  const regions = file.layout.regions.map((r) =>
    r.guid === REGION_BAT ? { ...r, fileOffset: at, length } : r,
  );
  const table = serializeRegionTable(regions);
  for (const base of REGION_TABLE_OFFSETS) {
    for (let off = 0; off < REGION_TABLE_SIZE; off += 4096) {
      const page = await file.pages.get(base + off);
      page.set(table.subarray(off, off + 4096));
      file.pages.markDirty(base + off);
    }
  }
}
