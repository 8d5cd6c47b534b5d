import { VhdxError } from '../errors.js';
import { ascii, readU64, view, writeAscii, writeU64 } from '../util/bytes.js';
import { readGuid, writeGuid } from '../util/guid.js';
import {
  KiB,
  MAX_BLOCK_SIZE,
  MAX_VIRTUAL_SIZE,
  META_FILE_PARAMETERS,
  META_LOGICAL_SECTOR_SIZE,
  META_PARENT_LOCATOR,
  META_PHYSICAL_SECTOR_SIZE,
  META_VIRTUAL_DISK_ID,
  META_VIRTUAL_DISK_SIZE,
  METADATA_ITEMS_START,
  MIN_BLOCK_SIZE,
  MiB,
  SIG_METADATA,
} from './constants.js';
import { parseParentLocator, type ParentLocator } from './parentLocator.js';

export interface MetadataItem {
  itemId: string;
  isUser: boolean;
  isVirtualDisk: boolean;
  isRequired: boolean;
  data: Uint8Array;
  /** Offset of the item in the region as stored (0 for an empty item); unset for items not yet written. */
  offset?: number;
}

export interface DiskMetadata {
  blockSize: number;
  leaveBlockAllocated: boolean;
  hasParent: boolean;
  virtualSize: number;
  logicalSectorSize: number;
  physicalSectorSize: number;
  virtualDiskId: string;
  parentLocator: ParentLocator | null;
  /** Every item as stored, known or not, so a rewrite keeps unknown items unchanged. */
  items: MetadataItem[];
}

const KNOWN = new Set([
  META_FILE_PARAMETERS,
  META_VIRTUAL_DISK_SIZE,
  META_LOGICAL_SECTOR_SIZE,
  META_PHYSICAL_SECTOR_SIZE,
  META_VIRTUAL_DISK_ID,
  META_PARENT_LOCATOR,
]);
const MAX_ENTRIES = 2047;

/**
 * Parses a metadata region (at file offset `regionOffset`) from `region`, its first bytes: the table and every item it names
 * (`regionLength`, the region's whole length, bounds where items may lie; by default all of it).
 */
export function parseMetadataRegion(
  region: Uint8Array,
  regionOffset: number,
  regionLength: number = region.length,
): DiskMetadata {
  const S = 'metadata table';
  if (region.length < 64 * KiB || ascii(region, 0, 8) !== SIG_METADATA) {
    throw new VhdxError(S, 'bad signature', { offset: regionOffset, field: 'Signature' });
  }
  const dv = view(region);
  const count = dv.getUint16(10, true);
  if (count > MAX_ENTRIES) {
    throw new VhdxError(S, `EntryCount ${count} exceeds ${MAX_ENTRIES}`, {
      offset: regionOffset + 10,
      field: 'EntryCount',
    });
  }
  const items: MetadataItem[] = [];
  for (let i = 0; i < count; i++) {
    const at = 32 + i * 32;
    const itemId = readGuid(region, at);
    const off = dv.getUint32(at + 16, true);
    const len = dv.getUint32(at + 20, true);
    const flags = dv.getUint32(at + 24, true);
    const item = {
      itemId,
      isUser: (flags & 1) !== 0,
      isVirtualDisk: (flags & 2) !== 0,
      isRequired: (flags & 4) !== 0,
      data: new Uint8Array(0),
      offset: 0,
    };
    if (len !== 0) {
      if (
        off < METADATA_ITEMS_START ||
        len > MiB ||
        off + len > regionLength ||
        off + len > region.length
      ) {
        throw new VhdxError(
          S,
          `item ${itemId} lies outside the metadata region (offset ${off}, length ${len})`,
          {
            offset: regionOffset + at + 16,
            field: 'Offset',
          },
        );
      }
      item.data = region.slice(off, off + len);
      item.offset = off;
    }
    if (!item.isUser && !KNOWN.has(itemId) && item.isRequired) {
      throw new VhdxError(S, `unknown required metadata item ${itemId}`, {
        offset: regionOffset + at,
        code: 'UNSUPPORTED',
      });
    }
    items.push(item);
  }
  const find = (id: string, minLen: number): Uint8Array => {
    const item = items.find((it) => !it.isUser && it.itemId === id);
    if (!item || item.data.length < minLen) {
      throw new VhdxError(S, `required item ${id} is missing or too short`, {
        offset: regionOffset,
        field: id,
      });
    }
    return item.data;
  };
  const fp = view(find(META_FILE_PARAMETERS, 8));
  const blockSize = fp.getUint32(0, true);
  const fpFlags = fp.getUint32(4, true);
  if (
    blockSize < MIN_BLOCK_SIZE ||
    blockSize > MAX_BLOCK_SIZE ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw new VhdxError(
      'metadata item File Parameters',
      `BlockSize ${blockSize} is not a power of 2 in 1-256 MiB`,
      {
        offset: regionOffset,
        field: 'BlockSize',
      },
    );
  }
  const virtualSize = readU64(view(find(META_VIRTUAL_DISK_SIZE, 8)), 0);
  const logicalSectorSize = view(find(META_LOGICAL_SECTOR_SIZE, 4)).getUint32(0, true);
  const physicalSectorSize = view(find(META_PHYSICAL_SECTOR_SIZE, 4)).getUint32(0, true);
  for (const [name, v] of [
    ['LogicalSectorSize', logicalSectorSize],
    ['PhysicalSectorSize', physicalSectorSize],
  ] as const) {
    if (v !== 512 && v !== 4096) {
      throw new VhdxError('metadata item ' + name, `${v} is neither 512 nor 4096`, {
        offset: regionOffset,
        field: name,
      });
    }
  }
  if (
    virtualSize === 0 ||
    virtualSize > MAX_VIRTUAL_SIZE ||
    virtualSize % logicalSectorSize !== 0
  ) {
    throw new VhdxError('metadata item Virtual Disk Size', `size ${virtualSize} is invalid`, {
      offset: regionOffset,
      field: 'VirtualDiskSize',
    });
  }
  const virtualDiskId = readGuid(find(META_VIRTUAL_DISK_ID, 16), 0);
  const hasParent = (fpFlags & 2) !== 0;
  let parentLocator: ParentLocator | null = null;
  if (hasParent) {
    const item = items.find((it) => !it.isUser && it.itemId === META_PARENT_LOCATOR);
    parentLocator = parseParentLocator(
      find(META_PARENT_LOCATOR, 20),
      regionOffset + (item?.offset ?? 0),
    );
  }
  return {
    blockSize,
    leaveBlockAllocated: (fpFlags & 1) !== 0,
    hasParent,
    virtualSize,
    logicalSectorSize,
    physicalSectorSize,
    virtualDiskId,
    parentLocator,
    items,
  };
}

export interface NewMetadata {
  blockSize: number;
  leaveBlockAllocated: boolean;
  hasParent: boolean;
  virtualSize: number;
  logicalSectorSize: number;
  physicalSectorSize: number;
  virtualDiskId: string;
  parentLocator: Uint8Array | null;
}

/** Builds the items of a new file in the order and with the flags Hyper-V writes. */
export function newMetadataItems(m: NewMetadata): MetadataItem[] {
  const fp = new Uint8Array(8);
  view(fp).setUint32(0, m.blockSize, true);
  view(fp).setUint32(4, (m.leaveBlockAllocated ? 1 : 0) | (m.hasParent ? 2 : 0), true);
  const size = new Uint8Array(8);
  writeU64(view(size), 0, m.virtualSize);
  const lss = new Uint8Array(4);
  view(lss).setUint32(0, m.logicalSectorSize, true);
  const pss = new Uint8Array(4);
  view(pss).setUint32(0, m.physicalSectorSize, true);
  const id = new Uint8Array(16);
  writeGuid(id, 0, m.virtualDiskId);
  const vd = { isUser: false, isVirtualDisk: true, isRequired: true };
  const items: MetadataItem[] = [
    {
      itemId: META_FILE_PARAMETERS,
      isUser: false,
      isVirtualDisk: false,
      isRequired: true,
      data: fp,
    },
    { itemId: META_VIRTUAL_DISK_SIZE, ...vd, data: size },
    { itemId: META_LOGICAL_SECTOR_SIZE, ...vd, data: lss },
    { itemId: META_PHYSICAL_SECTOR_SIZE, ...vd, data: pss },
    { itemId: META_VIRTUAL_DISK_ID, ...vd, data: id },
  ];
  if (m.parentLocator) {
    items.push({
      itemId: META_PARENT_LOCATOR,
      isUser: false,
      isVirtualDisk: false,
      isRequired: true,
      data: m.parentLocator,
    });
  }
  return items;
}

/** Serialises a whole metadata region: the table, then the items packed from 64 KiB. */
export function serializeMetadataRegion(items: MetadataItem[], regionLength: number): Uint8Array {
  const buf = new Uint8Array(regionLength);
  const dv = view(buf);
  writeAscii(buf, 0, SIG_METADATA);
  dv.setUint16(10, items.length, true);
  let next = METADATA_ITEMS_START;
  items.forEach((item, i) => {
    const at = 32 + i * 32;
    writeGuid(buf, at, item.itemId);
    const len = item.data.length;
    if (len > 0 && next + len > regionLength)
      throw new VhdxError('metadata table', 'items do not fit in the region');
    dv.setUint32(at + 16, len > 0 ? next : 0, true);
    dv.setUint32(at + 20, len, true);
    dv.setUint32(
      at + 24,
      (item.isUser ? 1 : 0) | (item.isVirtualDisk ? 2 : 0) | (item.isRequired ? 4 : 0),
      true,
    );
    if (len > 0) {
      buf.set(item.data, next);
      next += len;
    }
  });
  return buf;
}
