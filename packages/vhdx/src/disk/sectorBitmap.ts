// The sector bitmap of a differencing disk (MS-VHDX 2.5.1.2): one bit per logical sector of a
// chunk, 1 where the sector's data is in this file, 0 where it comes from the parent.
import { SECTORS_PER_BITMAP_BLOCK } from '../format/constants.js';
import { PAGE_SIZE, type MetaPages } from './metaPages.js';

/** What the bitmap needs of an open file (a `VhdxFile`). */
export interface BitmapFile {
  readonly pages: MetaPages;
  /** The file offset of a chunk's sector-bitmap block, which must be present. */
  bitmapOffset(chunk: number): Promise<number>;
}

/** The cached metadata pages a bitmap walk reads and changes (a `MetaPages`). */
export interface BitmapPages {
  peek(at: number): Uint8Array | undefined;
  markDirty(at: number): void;
}

/**
 * What a walk does with each bit: `all-set` answers whether every bit is 1, `set` sets every bit
 * to 1, `read` copies each bit into one byte of `out`.
 */
export type BitmapWalk = 'all-set' | 'set' | 'read';

/**
 * The one walk over a sector bitmap: bits `[firstBit, firstBit+count)` of the bitmap block at file
 * offset `base` (1 MiB-aligned, so a 4 KiB page holds whole bytes of it), page by page from
 * `pages`, a whole byte at a time where it can. A page that is not cached ends the walk with
 * false, having changed nothing in it; otherwise the answer is true, except for `all-set` at the
 * first 0. `set` marks the pages it changed dirty; `read` writes bit `firstBit + i` to `out[i]`.
 * It allocates nothing: it runs on the path of every read of a partly present block.
 */
export function walkBitmap(
  pages: BitmapPages,
  base: number,
  firstBit: number,
  count: number,
  walk: BitmapWalk,
  out?: Uint8Array,
): boolean {
  const stop = firstBit + count;
  let bit = firstBit;
  while (bit < stop) {
    const byteAt = base + (bit >>> 3);
    const pageAt = byteAt - (byteAt % PAGE_SIZE);
    const page = pages.peek(pageAt);
    if (page === undefined) return false;
    const until = Math.min(stop, (pageAt + PAGE_SIZE - base) * 8);
    const inPage = base - pageAt;
    let changed = false;
    while (bit < until) {
      const i = inPage + (bit >>> 3);
      const v = page[i] ?? 0;
      if ((bit & 7) === 0 && bit + 8 <= until) {
        if (walk === 'all-set') {
          if (v !== 0xff) return false;
        } else if (walk === 'set') {
          if (v !== 0xff) {
            page[i] = 0xff;
            changed = true;
          }
        } else if (out !== undefined) {
          for (let k = 0; k < 8; k++) out[bit - firstBit + k] = (v >>> k) & 1;
        }
        bit += 8;
      } else {
        const value = (v >>> (bit & 7)) & 1;
        if (walk === 'all-set') {
          if (value === 0) return false;
        } else if (walk === 'set') {
          if (value === 0) {
            page[i] = v | (1 << (bit & 7));
            changed = true;
          }
        } else if (out !== undefined) out[bit - firstBit] = value;
        bit += 1;
      }
    }
    if (changed) pages.markDirty(pageAt);
  }
  return true;
}

/**
 * The bitmap block of the chunk holding virtual sector `firstSector`, the walk's first bit in it,
 * and its pages for `count` sectors read into the cache (a few pages at most: the sectors lie in
 * one chunk), kept here so that none is dropped before the walk.
 */
async function loadBitmap(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<{ base: number; firstBit: number; pages: BitmapPages }> {
  const chunk = Math.floor(firstSector / SECTORS_PER_BITMAP_BLOCK);
  const base = await file.bitmapOffset(chunk);
  const firstBit = firstSector - chunk * SECTORS_PER_BITMAP_BLOCK;
  const first = base + (firstBit >>> 3);
  const last = base + ((firstBit + Math.max(count, 1) - 1) >>> 3);
  const held = new Map<number, Uint8Array>();
  for (let at = first - (first % PAGE_SIZE); at <= last; at += PAGE_SIZE)
    held.set(at, await file.pages.get(at));
  return {
    base,
    firstBit,
    pages: { peek: (at) => held.get(at), markDirty: (at) => file.pages.markDirty(at) },
  };
}

/** Bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk). */
export async function readBitmapBits(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<Uint8Array> {
  const { base, firstBit, pages } = await loadBitmap(file, firstSector, count);
  const bits = new Uint8Array(count);
  walkBitmap(pages, base, firstBit, count, 'read', bits);
  return bits;
}

/** True when the bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk) are all 1. */
export async function bitmapAllSet(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<boolean> {
  const { base, firstBit, pages } = await loadBitmap(file, firstSector, count);
  return walkBitmap(pages, base, firstBit, count, 'all-set');
}

/** Sets the bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk). */
export async function setBitmapBits(
  file: BitmapFile,
  firstSector: number,
  count: number,
): Promise<void> {
  const { base, firstBit, pages } = await loadBitmap(file, firstSector, count);
  walkBitmap(pages, base, firstBit, count, 'set');
}
