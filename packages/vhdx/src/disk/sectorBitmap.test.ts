// The one walk over a sector bitmap (MS-VHDX 2.5.1.2: bit n of a chunk's bitmap is sector n,
// least significant bit first) that reads, tests and sets bits, across 4 KiB pages.
import { describe, expect, it } from 'vitest';
import { walkBitmap, type BitmapPages } from './sectorBitmap.js';

const BASE = 1024 * 1024;
/** Bits per 4 KiB page of the bitmap. */
const PAGE_BITS = 4096 * 8;

function pagesOf(
  count: number,
): BitmapPages & { dirty: Set<number>; map: Map<number, Uint8Array> } {
  const map = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) map.set(BASE + i * 4096, new Uint8Array(4096));
  const dirty = new Set<number>();
  return { map, dirty, peek: (at) => map.get(at), markDirty: (at) => dirty.add(at) };
}

describe('sector bitmap walk', () => {
  it('sets, reads and tests bits across a page boundary, a byte at a time where it can', () => {
    const pages = pagesOf(2);
    const first = PAGE_BITS - 13;
    expect(walkBitmap(pages, BASE, first, 30, 'set')).toBe(true);
    expect([...pages.dirty].sort()).toEqual([BASE, BASE + 4096]);
    // Least significant bit first: bit 3 of the last byte of page 0 is sector PAGE_BITS - 13.
    expect(pages.map.get(BASE)?.[4094]).toBe(0b11111000);
    expect(pages.map.get(BASE)?.[4095]).toBe(0xff);
    expect(pages.map.get(BASE + 4096)?.[0]).toBe(0xff);
    expect(pages.map.get(BASE + 4096)?.[1]).toBe(0xff);
    expect(pages.map.get(BASE + 4096)?.[2]).toBe(0b00000001);

    const out = new Uint8Array(40);
    expect(walkBitmap(pages, BASE, first - 5, 40, 'read', out)).toBe(true);
    expect([...out]).toEqual([
      ...Array<number>(5).fill(0),
      ...Array<number>(30).fill(1),
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(walkBitmap(pages, BASE, first, 30, 'all-set')).toBe(true);
    expect(walkBitmap(pages, BASE, first - 1, 30, 'all-set')).toBe(false);
    expect(walkBitmap(pages, BASE, first + 1, 30, 'all-set')).toBe(false);
  });

  it('marks no page dirty when every bit was set already', () => {
    const pages = pagesOf(1);
    walkBitmap(pages, BASE, 8, 16, 'set');
    pages.dirty.clear();
    expect(walkBitmap(pages, BASE, 9, 10, 'set')).toBe(true);
    expect(pages.dirty.size).toBe(0);
  });

  it('stops at a page that is not cached, changing nothing in it', () => {
    const pages = pagesOf(1);
    expect(walkBitmap(pages, BASE, PAGE_BITS - 4, 8, 'set')).toBe(false);
    expect(walkBitmap(pages, BASE, PAGE_BITS - 4, 8, 'all-set')).toBe(false);
    expect(pages.map.size).toBe(1);
  });
});
