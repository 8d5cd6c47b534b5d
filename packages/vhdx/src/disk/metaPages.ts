import type { LogOverlay } from './log.js';

export const PAGE_SIZE = 4096;
/** Clean pages kept at most (64 MiB): beyond it the oldest clean pages are dropped. */
const MAX_CACHED_PAGES = 16384;

/** A cache of 4 KiB metadata pages (BAT, sector bitmaps) with the set of pages changed since the last commit. */
export class MetaPages {
  private readonly pages = new Map<number, Uint8Array>();
  private dirty = new Set<number>();

  constructor(
    private readonly readAt: (buf: Uint8Array, pos: number) => Promise<void>,
    readonly overlay: LogOverlay | null,
  ) {}

  /** The page holding file offset `at` when it is already cached. */
  peek(at: number): Uint8Array | undefined {
    return this.pages.get(at - (at % PAGE_SIZE));
  }

  /** The page holding file offset `at` (callers index it with `at % 4096`). */
  async get(at: number): Promise<Uint8Array> {
    const key = at - (at % PAGE_SIZE);
    let page = this.pages.get(key);
    if (!page) {
      page = new Uint8Array(PAGE_SIZE);
      await this.readAt(page, key);
      // Another caller may have loaded (and changed) the page meanwhile: its copy is the one.
      const loaded = this.pages.get(key);
      if (loaded !== undefined) return loaded;
      if (this.pages.size >= MAX_CACHED_PAGES) this.dropClean();
      this.pages.set(key, page);
    }
    return page;
  }

  /**
   * Reads the pages of `[at, at+length)` that are not cached in one read (from the first such
   * page to the last) and keeps them: a structure read whole at once (the BAT, the sector bitmap
   * of the blocks a merge moves) rather than a 4 KiB page at a time, each waiting for the disk.
   * Cached pages keep their (possibly changed) bytes. Pages beyond the cache's bound are not kept.
   */
  async load(at: number, length: number): Promise<void> {
    if (length <= 0) return;
    const end = at + length - 1;
    let first = at - (at % PAGE_SIZE);
    let last = end - (end % PAGE_SIZE);
    while (first <= last && this.pages.has(first)) first += PAGE_SIZE;
    while (last >= first && this.pages.has(last)) last -= PAGE_SIZE;
    if (first > last) return;
    const bytes = new Uint8Array(last + PAGE_SIZE - first);
    await this.readAt(bytes, first);
    this.adopt(first, bytes);
  }

  /**
   * Fills `buf` (whole pages from the page boundary `at`) from the cache when every page is in
   * it, else with one read whose pages are then kept; cached pages win over the file's bytes.
   */
  async readRange(buf: Uint8Array, at: number): Promise<void> {
    let cached = true;
    for (let off = 0; off < buf.length && cached; off += PAGE_SIZE)
      cached = this.pages.has(at + off);
    if (!cached) {
      await this.readAt(buf, at);
      this.adopt(at, buf);
    }
    for (let off = 0; off < buf.length; off += PAGE_SIZE) {
      const page = this.pages.get(at + off);
      if (page !== undefined) buf.set(page.subarray(0, buf.length - off), off);
    }
  }

  /**
   * Keeps the pages of `bytes`, read from file offset `at` (a page boundary), that are not cached
   * yet, while the cache has room: a read made for something else (the BAT at an open) saves the
   * page reads that would follow it.
   */
  adopt(at: number, bytes: Uint8Array): void {
    for (let off = 0; off + PAGE_SIZE <= bytes.length; off += PAGE_SIZE) {
      if (this.pages.size >= MAX_CACHED_PAGES) return;
      if (!this.pages.has(at + off)) this.pages.set(at + off, bytes.slice(off, off + PAGE_SIZE));
    }
  }

  /** Drops the older half of the clean pages, so memory stays bounded on very large disks. */
  private dropClean(): void {
    let drop = this.pages.size - MAX_CACHED_PAGES / 2;
    for (const key of this.pages.keys()) {
      if (drop <= 0) break;
      if (this.dirty.has(key)) continue;
      this.pages.delete(key);
      drop--;
    }
  }

  dirtyCount(): number {
    return this.dirty.size;
  }

  markDirty(at: number): void {
    this.dirty.add(at - (at % PAGE_SIZE));
  }

  /** Dirty pages (file offset and a copy of the bytes), clearing the dirty set. */
  takeDirty(): { offset: number; data: Uint8Array }[] {
    const out = [...this.dirty]
      .sort((a, b) => a - b)
      .map((offset) => ({
        offset,
        data: (this.pages.get(offset) ?? new Uint8Array(PAGE_SIZE)).slice(),
      }));
    this.dirty = new Set();
    return out;
  }

  forget(): void {
    this.pages.clear();
  }
}
