import { memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import {
  imageOfPages,
  openSavedState,
  readSavedPages,
  writeSavedState,
  SAVED_STATE_PAGE_SIZE,
} from './savedState.js';

describe('saved-state file', () => {
  it('writes neighbouring pages in large writes and reads back every page', async () => {
    const inner = memoryFileStore();
    const writes: number[] = [];
    const store: FileStore = {
      ...inner,
      open: async (path, mode) => {
        const h = await inner.open(path, mode);
        return {
          ...h,
          write: (buffer, position) => {
            writes.push(buffer.length);
            return h.write(buffer, position);
          },
        };
      },
    };
    const pages = new Map<number, Uint8Array>();
    // 2048 neighbouring pages (8 MiB), then a few scattered ones.
    for (let page = 0; page < 2048; page += 1)
      pages.set(page, new Uint8Array(SAVED_STATE_PAGE_SIZE).fill(page & 0xff));
    for (const page of [5000, 5002, 9000]) pages.set(page, new Uint8Array(10).fill(7));
    const state = {
      meta: { savedAt: '2024-01-01T00:00:00.000Z', uptimeMs: 5, guestImage: null },
      memoryBytes: 64 * 1024 * 1024,
      image: imageOfPages(pages),
    };
    await writeSavedState(store, 'a.vmrs', state, 't');
    // header + 2 × 4 MiB + 3 scattered pages
    expect(writes.length).toBeLessThanOrEqual(6);
    expect(Math.max(...writes)).toBeGreaterThanOrEqual(1024 * 1024);
    const back = await openSavedState(inner, 'a.vmrs');
    expect(back.image.ranges).toEqual([
      [0, 2048],
      [5000, 1],
      [5002, 1],
      [9000, 1],
    ]);
    expect((await readSavedPages(back, 300, 1))[100]).toBe(300 & 0xff);
    expect([...(await readSavedPages(back, 5002, 1)).subarray(0, 12)]).toEqual([
      7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0,
    ]);
    expect(back.meta.uptimeMs).toBe(5);
    await back.close();
  });
});
