// Where a range of the virtual disk lies in a file, found from cached metadata pages alone: the
// fast path of every read and write, which must not wait for anything.
import { BitmapState, MiB, PayloadState, SECTORS_PER_BITMAP_BLOCK } from '../format/constants.js';
import { bitmapEntryIndex, payloadEntryIndex } from '../format/batGeometry.js';
import type { BatGeometry } from '../format/batGeometry.js';
import type { DiskMetadata } from '../format/metadata.js';
import type { FileLayout } from './fileLayout.js';
import type { MetaPages } from './metaPages.js';
import { walkBitmap } from './sectorBitmap.js';

/** What the lookup needs of an open file (a `VhdxFile`). */
export interface LocatableFile {
  readonly meta: DiskMetadata;
  readonly layout: FileLayout;
  readonly geometry: BatGeometry;
  readonly pages: MetaPages;
  readonly places: BlockPlaces;
  readonly structuresEnd: number;
  readonly fileSize: number;
}

/** Not known yet: the block's metadata pages were not cached when it was last asked. */
const UNKNOWN = -1;
/** NOT_PRESENT in a differencing file: every sector of the block is the parent's. */
const IN_PARENT = -2;
/** PARTIALLY_PRESENT with some sectors the parent's: each request checks its own bits. */
const PER_SECTOR = -3;
/** Any other state (ZERO, UNMAPPED, ...): the full path answers. */
const ELSEWHERE = -4;

/** Blocks above this many keep their places in a bounded map rather than an array. */
const ARRAY_BLOCKS = 65536;

/**
 * What is known, per payload block, of where its data is: the file offset of a block whose every
 * sector is in this file (FULLY_PRESENT, or PARTIALLY_PRESENT with all its bitmap bits 1), or
 * that it is wholly the parent's, or that requests must look closer. Learnt from cached pages on
 * a block's first request, so that the next requests cost one array lookup; the file forgets a
 * block whenever its BAT entry or its sector bits change (`VhdxFile`).
 */
export class BlockPlaces {
  private array: Float64Array | null = null;
  private map: Map<number, number> | null = null;

  constructor(private readonly blocks: number) {}

  of(block: number): number {
    if (this.array !== null) return this.array[block] ?? UNKNOWN;
    return this.map?.get(block) ?? UNKNOWN;
  }

  remember(block: number, place: number): void {
    if (this.blocks <= ARRAY_BLOCKS) {
      this.array ??= new Float64Array(this.blocks).fill(UNKNOWN);
      this.array[block] = place;
      return;
    }
    this.map ??= new Map();
    if (this.map.size >= ARRAY_BLOCKS) this.map.clear();
    this.map.set(block, place);
  }

  forget(block: number): void {
    if (this.array !== null && block < this.array.length) this.array[block] = UNKNOWN;
    this.map?.delete(block);
  }

  forgetAll(): void {
    this.array?.fill(UNKNOWN);
    this.map?.clear();
  }
}

/** A BAT entry's state (low 3 bits), read from a cached page (MS-VHDX 2.5.1). */
function stateAt(page: Uint8Array, i: number): number {
  return (page[i] ?? 0) & 7;
}

/** A BAT entry's file offset in bytes: FileOffsetMB in bits 20-63, little-endian (MS-VHDX 2.5.1). */
function offsetAt(page: Uint8Array, i: number): number {
  const lo =
    ((page[i] ?? 0) | ((page[i + 1] ?? 0) << 8) | ((page[i + 2] ?? 0) << 16)) +
    (page[i + 3] ?? 0) * 2 ** 24;
  const hi =
    (page[i + 4] ?? 0) +
    (page[i + 5] ?? 0) * 2 ** 8 +
    (page[i + 6] ?? 0) * 2 ** 16 +
    (page[i + 7] ?? 0) * 2 ** 24;
  return (Math.floor(lo / 2 ** 20) + hi * 4096) * MiB;
}

/** A data offset that lies after the file's structures and inside the file. */
function validStart(file: LocatableFile, start: number): boolean {
  return start >= file.structuresEnd && start < file.fileSize;
}

/** The bitmap block of a chunk when its BAT entry is cached, present and valid; -1 otherwise. */
function cachedBitmapBase(file: LocatableFile, chunk: number): number {
  const at = file.layout.bat.fileOffset + bitmapEntryIndex(file.geometry, chunk) * 8;
  const page = file.pages.peek(at);
  if (page === undefined || stateAt(page, at % 4096) !== BitmapState.Present) return -1;
  const base = offsetAt(page, at % 4096);
  return validStart(file, base) ? base : -1;
}

/** True when the bits of these sectors (in one block) are cached and all 1. */
function cachedBitsSet(file: LocatableFile, firstSector: number, count: number): boolean {
  const chunk = Math.floor(firstSector / SECTORS_PER_BITMAP_BLOCK);
  const base = cachedBitmapBase(file, chunk);
  if (base < 0) return false;
  const bit = firstSector - chunk * SECTORS_PER_BITMAP_BLOCK;
  return walkBitmap(file.pages, base, bit, count, 'all-set');
}

/** Learns block `block`'s place from cached pages; UNKNOWN (not remembered) when they are not all cached. */
function learnPlace(file: LocatableFile, block: number): number {
  const at = file.layout.bat.fileOffset + payloadEntryIndex(file.geometry, block) * 8;
  const page = file.pages.peek(at);
  if (page === undefined) return UNKNOWN;
  const state = stateAt(page, at % 4096);
  let place = ELSEWHERE;
  if (state === PayloadState.NotPresent && file.meta.hasParent) place = IN_PARENT;
  else if (state === PayloadState.FullyPresent || state === PayloadState.PartiallyPresent) {
    const start = offsetAt(page, at % 4096);
    // An offset into the structures or past the end: the full path explains it.
    if (!validStart(file, start)) return UNKNOWN;
    place = start;
    if (state === PayloadState.PartiallyPresent) {
      if (!file.meta.hasParent) return UNKNOWN;
      const { blockSize, virtualSize, logicalSectorSize: ss } = file.meta;
      const sectors = Math.ceil(Math.min(blockSize, virtualSize - block * blockSize) / ss);
      const first = (block * blockSize) / ss;
      const chunk = Math.floor(first / SECTORS_PER_BITMAP_BLOCK);
      const base = cachedBitmapBase(file, chunk);
      if (base < 0) return UNKNOWN;
      const firstBit = first - chunk * SECTORS_PER_BITMAP_BLOCK;
      // Whether the walk stopped at a 0 or at a page not cached, requests check their own bits.
      if (!walkBitmap(file.pages, base, firstBit, sectors, 'all-set')) place = PER_SECTOR;
    }
  }
  file.places.remember(block, place);
  return place;
}

/**
 * Where `[pos, pos+length)` of the virtual disk lies in `file`, when that is known without
 * reading anything: one block, its BAT page cached, FULLY_PRESENT (or PARTIALLY_PRESENT with the
 * sectors' bitmap page cached and their bits all 1), at an offset already known to be valid.
 * -1 otherwise (the caller then takes the full path, which reads, checks and explains).
 */
export function cachedLocation(file: LocatableFile, pos: number, length: number): number {
  const bs = file.meta.blockSize;
  const block = Math.floor(pos / bs);
  const within = pos - block * bs;
  if (within + length > bs) return -1;
  let place = file.places.of(block);
  if (place === UNKNOWN) place = learnPlace(file, block);
  if (place >= 0) return place < file.fileSize ? place + within : -1;
  if (place !== PER_SECTOR) return -1;
  const ss = file.meta.logicalSectorSize;
  if (pos % ss !== 0 || length % ss !== 0) return -1;
  if (!cachedBitsSet(file, pos / ss, length / ss)) return -1;
  const at = file.layout.bat.fileOffset + payloadEntryIndex(file.geometry, block) * 8;
  const page = file.pages.peek(at);
  return page === undefined ? -1 : offsetAt(page, at % 4096) + within;
}

/** True when `[pos, pos+length)` (in one block) is known, from cached pages, to be wholly the parent's. */
export function cachedInParent(file: LocatableFile, pos: number, length: number): boolean {
  const bs = file.meta.blockSize;
  const block = Math.floor(pos / bs);
  if (pos - block * bs + length > bs) return false;
  let place = file.places.of(block);
  if (place === UNKNOWN) place = learnPlace(file, block);
  return place === IN_PARENT;
}
