// Where a range of the virtual disk lies in a file, found from cached metadata pages alone: the
// fast path of every read and write, which must not wait for anything.
import { BitmapState, MiB, PayloadState, SECTORS_PER_BITMAP_BLOCK } from '../format/constants.js';
import { bitmapEntryIndex, payloadEntryIndex } from '../format/batGeometry.js';
import type { BatGeometry } from '../format/batGeometry.js';
import type { DiskMetadata } from '../format/metadata.js';
import type { FileLayout } from './fileLayout.js';
import type { MetaPages } from './metaPages.js';

/** What the lookup needs of an open file (a `VhdxFile`). */
export interface LocatableFile {
  readonly meta: DiskMetadata;
  readonly layout: FileLayout;
  readonly geometry: BatGeometry;
  readonly pages: MetaPages;
  readonly structuresEnd: number;
  readonly fileSize: number;
}

/** A BAT entry read from a cached page: its state (low 3 bits) and its file offset in bytes. */
function entryAt(page: Uint8Array, i: number): { state: number; offset: number } {
  // MS-VHDX 2.5.1: State in bits 0-2, FileOffsetMB in bits 20-63 (little-endian).
  const lo =
    ((page[i] ?? 0) | ((page[i + 1] ?? 0) << 8) | ((page[i + 2] ?? 0) << 16)) +
    (page[i + 3] ?? 0) * 2 ** 24;
  const hi =
    (page[i + 4] ?? 0) +
    (page[i + 5] ?? 0) * 2 ** 8 +
    (page[i + 6] ?? 0) * 2 ** 16 +
    (page[i + 7] ?? 0) * 2 ** 24;
  return { state: lo & 7, offset: (Math.floor(lo / 2 ** 20) + hi * 4096) * MiB };
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
  const at = file.layout.bat.fileOffset + payloadEntryIndex(file.geometry, block) * 8;
  const page = file.pages.peek(at);
  if (page === undefined) return -1;
  const { state, offset: start } = entryAt(page, at % 4096);
  if (start < file.structuresEnd || start >= file.fileSize) return -1;
  if (state === PayloadState.FullyPresent) return start + within;
  if (state !== PayloadState.PartiallyPresent || !file.meta.hasParent) return -1;
  const ss = file.meta.logicalSectorSize;
  if (pos % ss !== 0 || length % ss !== 0) return -1;
  return cachedBitsSet(file, pos / ss, length / ss) ? start + within : -1;
}

/** True when the bits of these sectors (in one block) are cached and all 1. */
function cachedBitsSet(file: LocatableFile, firstSector: number, count: number): boolean {
  const chunk = Math.floor(firstSector / SECTORS_PER_BITMAP_BLOCK);
  const at = file.layout.bat.fileOffset + bitmapEntryIndex(file.geometry, chunk) * 8;
  const batPage = file.pages.peek(at);
  if (batPage === undefined) return false;
  const { state, offset: base } = entryAt(batPage, at % 4096);
  if (state !== BitmapState.Present) return false;
  if (base < file.structuresEnd || base >= file.fileSize) return false;
  let bit = firstSector - chunk * SECTORS_PER_BITMAP_BLOCK;
  const stop = bit + count;
  let page: Uint8Array | undefined;
  let pageAt = -1;
  while (bit < stop) {
    const byteAt = base + (bit >>> 3);
    if (byteAt - (byteAt % 4096) !== pageAt) {
      pageAt = byteAt - (byteAt % 4096);
      page = file.pages.peek(pageAt);
      if (page === undefined) return false;
    }
    const v = page?.[byteAt - pageAt] ?? 0;
    if ((bit & 7) === 0 && bit + 8 <= stop) {
      if (v !== 0xff) return false;
      bit += 8;
    } else {
      if (((v >>> (bit & 7)) & 1) === 0) return false;
      bit += 1;
    }
  }
  return true;
}
