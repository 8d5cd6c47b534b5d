import { VhdxError } from '../errors.js';
import {
  CREATOR,
  DEFAULT_BAT_OFFSET,
  DEFAULT_BLOCK_SIZE,
  DEFAULT_LOG_LENGTH,
  DEFAULT_LOG_OFFSET,
  DEFAULT_METADATA_LENGTH,
  DEFAULT_METADATA_OFFSET,
  HEADER_OFFSETS,
  MAX_BLOCK_SIZE,
  MAX_VIRTUAL_SIZE,
  MIN_BLOCK_SIZE,
  MiB,
  PayloadState,
  REGION_BAT,
  REGION_METADATA,
  REGION_TABLE_OFFSETS,
} from '../format/constants.js';
import {
  batGeometry,
  batRegionLength,
  encodeBatEntry,
  type BatGeometry,
} from '../format/batGeometry.js';
import { serializeFileIdentifier, serializeHeader } from '../format/headers.js';
import { newMetadataItems, serializeMetadataRegion } from '../format/metadata.js';
import { serializeParentLocator, type ParentLocator } from '../format/parentLocator.js';
import { serializeRegionTable } from '../format/regionTable.js';
import type { FileHandle, FileStore } from '../storage/fileStore.js';
import { view } from '../util/bytes.js';
import type { DiskInfo } from '../types.js';
import { newGuid, normalizeGuid, ZERO_GUID } from '../util/guid.js';
import { absoluteLocatorPath, folderOf, relativeWindowsPath } from '../util/winPath.js';
import { describeFile } from './chain.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { VhdxFile } from './vhdxFile.js';

export interface CreateDynamicOptions {
  virtualSize: number;
  /** Default 32 MiB, as Hyper-V. */
  blockSize?: number;
  logicalSectorSize?: 512 | 4096;
  physicalSectorSize?: 512 | 4096;
  virtualDiskId?: string;
}

export interface CreateFixedOptions extends CreateDynamicOptions {
  /**
   * Writes zeros over every block, as New-VHD -Fixed does ("the VHD is zeroed out during
   * creation", Microsoft's New-VHD reference on -Fixed): the file's space is really allocated,
   * not left sparse. Default false (sparse, immediate).
   */
  zeroFill?: boolean;
  /** Fraction of the blocks zeroed, 0..1, rising (with `zeroFill`). */
  onProgress?: (fraction: number) => void;
}

interface NewFileParams {
  virtualSize: number;
  blockSize: number;
  logicalSectorSize: number;
  physicalSectorSize: number;
  virtualDiskId: string;
  parentLocator: Uint8Array | null;
  /** Every payload block allocated at creation (a fixed disk); LeaveBlockAllocated set. */
  fixed?: boolean;
  /** A fixed disk's blocks written with zeros, with the fraction done. */
  zeroFill?: { onProgress?: ((fraction: number) => void) | undefined };
}

function invalid(message: string): VhdxError {
  return new VhdxError('options', message, { code: 'INVALID_ARGUMENT' });
}

/** Writes a new, empty dynamic or differencing file in Hyper-V's layout. */
async function writeNewFile(store: FileStore, path: string, p: NewFileParams): Promise<void> {
  const differencing = p.parentLocator !== null;
  const geometry = batGeometry(p.virtualSize, p.blockSize, p.logicalSectorSize, differencing);
  const batLength = batRegionLength(geometry);
  const regions = serializeRegionTable([
    {
      guid: REGION_METADATA,
      fileOffset: DEFAULT_METADATA_OFFSET,
      length: DEFAULT_METADATA_LENGTH,
      required: true,
    },
    { guid: REGION_BAT, fileOffset: DEFAULT_BAT_OFFSET, length: batLength, required: true },
  ]);
  const metadata = serializeMetadataRegion(
    newMetadataItems({ ...p, leaveBlockAllocated: p.fixed === true, hasParent: differencing }),
    DEFAULT_METADATA_LENGTH,
  );
  const header = {
    sequenceNumber: 0n,
    fileWriteGuid: newGuid(),
    dataWriteGuid: newGuid(),
    logGuid: ZERO_GUID,
    logVersion: 0,
    version: 1,
    logLength: DEFAULT_LOG_LENGTH,
    logOffset: DEFAULT_LOG_OFFSET,
  };
  const folder = folderOf(path);
  if (folder !== '') await store.mkdirp(folder);
  const handle = await store.open(path, 'wx');
  try {
    await handle.write(serializeFileIdentifier(CREATOR), 0);
    await handle.write(regions, REGION_TABLE_OFFSETS[0]);
    await handle.write(regions, REGION_TABLE_OFFSETS[1]);
    await handle.write(metadata.subarray(0, metadataUsedBytes(metadata)), DEFAULT_METADATA_OFFSET);
    await handle.truncate(DEFAULT_BAT_OFFSET + batLength);
    if (p.fixed === true) {
      await allocateEveryBlock(handle, geometry, DEFAULT_BAT_OFFSET + batLength);
      if (p.zeroFill !== undefined)
        await zeroEveryBlock(handle, geometry, DEFAULT_BAT_OFFSET + batLength, p.zeroFill);
    }
    await handle.sync();
    await handle.write(serializeHeader({ ...header, sequenceNumber: 1n }), HEADER_OFFSETS[0]);
    await handle.write(serializeHeader({ ...header, sequenceNumber: 2n }), HEADER_OFFSETS[1]);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A fixed disk's BAT: payload block i FULLY_PRESENT at `dataStart + i * blockSize` (the file is
 * extended over them; the blocks read as zeros), sector-bitmap entries NOT_PRESENT. Written a
 * MiB of entries at a time, so memory stays bounded at 64 TiB.
 */
async function allocateEveryBlock(
  handle: FileHandle,
  geometry: BatGeometry,
  dataStart: number,
): Promise<void> {
  const blockMB = geometry.blockSize / MiB;
  const firstMB = dataStart / MiB;
  const perChunk = MiB / 8;
  const chunk = new Uint8Array(MiB);
  const dv = view(chunk);
  for (let first = 0; first < geometry.entryCount; first += perChunk) {
    const count = Math.min(perChunk, geometry.entryCount - first);
    chunk.fill(0);
    for (let i = 0; i < count; i += 1) {
      const index = first + i;
      // Every (chunkRatio + 1)-th entry is a sector-bitmap entry; the others are payload blocks.
      if ((index + 1) % (geometry.chunkRatio + 1) === 0) continue;
      const block = index - Math.floor(index / (geometry.chunkRatio + 1));
      encodeBatEntry(dv, i * 8, PayloadState.FullyPresent, firstMB + block * blockMB);
    }
    await handle.write(chunk.subarray(0, count * 8), DEFAULT_BAT_OFFSET + first * 8);
  }
  await handle.truncate(dataStart + geometry.dataBlocks * geometry.blockSize);
}

/** Writes zeros over a fixed disk's data blocks, a MiB at a time. */
async function zeroEveryBlock(
  handle: FileHandle,
  geometry: BatGeometry,
  dataStart: number,
  { onProgress }: { onProgress?: ((fraction: number) => void) | undefined },
): Promise<void> {
  const total = geometry.dataBlocks * geometry.blockSize;
  const zeros = new Uint8Array(MiB);
  for (let done = 0; done < total; done += MiB) {
    const length = Math.min(MiB, total - done);
    await handle.write(zeros.subarray(0, length), dataStart + done);
    onProgress?.((done + length) / total);
  }
}

/** Bytes up to the last non-zero byte, so the zero tail of the region stays sparse. */
function metadataUsedBytes(buf: Uint8Array): number {
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--;
  return end;
}

export async function createDynamicDisk(
  store: FileStore,
  path: string,
  options: CreateDynamicOptions,
): Promise<DiskInfo> {
  return createBaseDisk(store, path, options, false);
}

/**
 * Creates a fixed disk (New-VHD -Fixed): every block allocated at creation, one after another
 * after the BAT, so the file is as large as the disk (sparse where the file system allows).
 */
export async function createFixedDisk(
  store: FileStore,
  path: string,
  options: CreateFixedOptions,
): Promise<DiskInfo> {
  return createBaseDisk(store, path, options, true);
}

async function createBaseDisk(
  store: FileStore,
  path: string,
  options: CreateFixedOptions,
  fixed: boolean,
): Promise<DiskInfo> {
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const logicalSectorSize = options.logicalSectorSize ?? 512;
  const physicalSectorSize = options.physicalSectorSize ?? 4096;
  const { virtualSize } = options;
  if (
    blockSize < MIN_BLOCK_SIZE ||
    blockSize > MAX_BLOCK_SIZE ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw invalid(`blockSize ${blockSize} must be a power of 2 between 1 MiB and 256 MiB`);
  }
  if (logicalSectorSize !== 512 && logicalSectorSize !== 4096)
    throw invalid('logicalSectorSize must be 512 or 4096');
  if (physicalSectorSize !== 512 && physicalSectorSize !== 4096)
    throw invalid('physicalSectorSize must be 512 or 4096');
  if (
    !Number.isSafeInteger(virtualSize) ||
    virtualSize <= 0 ||
    virtualSize > MAX_VIRTUAL_SIZE ||
    virtualSize % logicalSectorSize !== 0
  ) {
    throw invalid(
      `virtualSize ${virtualSize} must be a positive multiple of ${logicalSectorSize} up to 64 TiB`,
    );
  }
  const virtualDiskId =
    options.virtualDiskId === undefined ? newGuid() : normalizeGuid(options.virtualDiskId);
  if (virtualDiskId === null) throw invalid('virtualDiskId is not a GUID');
  await writeNewFile(store, path, {
    virtualSize,
    blockSize,
    logicalSectorSize,
    physicalSectorSize,
    virtualDiskId,
    parentLocator: null,
    fixed,
    ...(fixed && options.zeroFill === true ? { zeroFill: { onProgress: options.onProgress } } : {}),
  });
  return describeFile(store, normalizeStorePath(path), null);
}

export interface CreateDifferencingOptions {
  /** Written as `absolute_win32_path`; defaults to the parent's absolute path on this host (store-relative in a memory store). */
  absoluteParentPath?: string;
}

/** Creates a child (checkpoint) of `parentPath`: same size, sector sizes, disk id and block size. */
export async function createDifferencingDisk(
  store: FileStore,
  childPath: string,
  parentPath: string,
  options: CreateDifferencingOptions = {},
): Promise<DiskInfo> {
  // Only the parent's identity and geometry: its data is not read here.
  const parent = await VhdxFile.open(store, parentPath, false, { metadataOnly: true });
  let params: NewFileParams;
  try {
    const m = parent.meta;
    const locator = serializeParentLocator({
      entries: [
        ['parent_linkage', `{${parent.header.dataWriteGuid}}`],
        [
          'absolute_win32_path',
          options.absoluteParentPath ?? absoluteLocatorPath(store, normalizeStorePath(parentPath)),
        ],
        ['relative_path', relativeWindowsPath(childPath, parentPath)],
        ['parent_linkage2', `{${ZERO_GUID}}`],
      ],
    });
    params = {
      virtualSize: m.virtualSize,
      blockSize: m.blockSize,
      logicalSectorSize: m.logicalSectorSize,
      physicalSectorSize: m.physicalSectorSize,
      virtualDiskId: m.virtualDiskId,
      parentLocator: locator,
    };
  } finally {
    await parent.close();
  }
  await writeNewFile(store, childPath, params);
  // The parent was just read and linked; describing the new file alone keeps this independent of the chain's depth.
  return describeFile(store, normalizeStorePath(childPath), normalizeStorePath(parentPath));
}

/** What a new file copies of another: its geometry, identity and (for a child) its parent locator. */
export interface DiskTemplate {
  virtualSize: number;
  blockSize: number;
  logicalSectorSize: number;
  physicalSectorSize: number;
  virtualDiskId: string;
  /** The locator's entries as stored (a child); null for a base disk. */
  parentLocator: ParentLocator | null;
}

/**
 * A new, empty dynamic or differencing file shaped as `template` (compaction writes its copy of a
 * disk into one): the same sizes, disk id and, for a child, the same parent locator, verbatim.
 */
export async function createDiskLike(
  store: FileStore,
  path: string,
  template: DiskTemplate,
): Promise<void> {
  await writeNewFile(store, path, {
    ...template,
    parentLocator:
      template.parentLocator === null ? null : serializeParentLocator(template.parentLocator),
  });
}
