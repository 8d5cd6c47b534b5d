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
