// The sector bitmap of a differencing disk (MS-VHDX 2.5.1.2): one bit per logical sector of a
// chunk, 1 where the sector's data is in this file, 0 where it comes from the parent.
import { SECTORS_PER_BITMAP_BLOCK } from '../format/constants.js';
import type { MetaPages } from './metaPages.js';

/** What the bitmap needs of an open file (a `VhdxFile`). */
export interface BitmapFile {
  readonly pages: MetaPages;
  /** The file offset of a chunk's sector-bitmap block, which must be present. */
  bitmapOffset(chunk: number): Promise<number>;
}

/** Bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk). */
export async function readBitmapBits(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<Uint8Array> {
  const spb = SECTORS_PER_BITMAP_BLOCK;
  const chunk = Math.floor(firstSector / spb);
  const base = await file.bitmapOffset(chunk);
  const bits = new Uint8Array(count);
  const first = firstSector - chunk * spb;
  let pageAt = -1;
  let page: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const bit = first + i;
    const byteAt = base + (bit >>> 3);
    const p = byteAt - (byteAt % 4096);
    if (p !== pageAt) {
      page = await file.pages.get(p);
      pageAt = p;
    }
    bits[i] = ((page[byteAt - p] ?? 0) >>> (bit & 7)) & 1;
  }
  return bits;
}

/** True when the bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk) are all 1. */
export async function bitmapAllSet(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<boolean> {
  const spb = SECTORS_PER_BITMAP_BLOCK;
  const chunk = Math.floor(firstSector / spb);
  const base = await file.bitmapOffset(chunk);
  let bit = firstSector - chunk * spb;
  const stop = bit + count;
  while (bit < stop) {
    const byteAt = base + (bit >>> 3);
    const pageAt = byteAt - (byteAt % 4096);
    const page = await file.pages.get(pageAt);
    const until = Math.min(stop, (pageAt + 4096 - base) * 8);
    while (bit < until) {
      const v = page[base + (bit >>> 3) - pageAt] ?? 0;
      if ((bit & 7) === 0 && bit + 8 <= until) {
        if (v !== 0xff) return false;
        bit += 8;
      } else {
        if (((v >>> (bit & 7)) & 1) === 0) return false;
        bit += 1;
      }
    }
  }
  return true;
}

/** Sets the bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk). */
export async function setBitmapBits(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<void> {
  const spb = SECTORS_PER_BITMAP_BLOCK;
  const chunk = Math.floor(firstSector / spb);
  const base = await file.bitmapOffset(chunk);
  let bit = firstSector - chunk * spb;
  const stop = bit + count;
  while (bit < stop) {
    const byteAt = base + (bit >>> 3);
    const pageAt = byteAt - (byteAt % 4096);
    const page = await file.pages.get(pageAt);
    // The bitmap block is 1 MiB-aligned, so a page holds bits up to the next 32768-bit boundary.
    const until = Math.min(stop, (pageAt + 4096 - base) * 8);
    let changed = false;
    while (bit < until) {
      const idx = base + (bit >>> 3) - pageAt;
      const old = page[idx] ?? 0;
      if ((bit & 7) === 0 && bit + 8 <= until) {
        if (old !== 0xff) page[idx] = 0xff;
        changed ||= old !== 0xff;
        bit += 8;
      } else {
        const mask = 1 << (bit & 7);
        if ((old & mask) === 0) page[idx] = old | mask;
        changed ||= (old & mask) === 0;
        bit += 1;
      }
    }
    if (changed) file.pages.markDirty(pageAt);
  }
}
