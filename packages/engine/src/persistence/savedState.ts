import type { FileStore, Throttle } from '@hvm/vhdx';

/**
 * The engine's saved-state file (`.vmrs`), a documented binary format of our own:
 *
 *   offset 0     8 bytes  magic "HVMVMRS\0"
 *   offset 8     u32 LE   format version (1)
 *   offset 12    u32 LE   header size (4096)
 *   offset 16    u64 LE   memory image size in bytes (memoryStartupMB × 1 MiB; 0 = no memory saved)
 *   offset 24    u32 LE   page size (4096)
 *   offset 28    u32 LE   length of the metadata JSON
 *   offset 32    ...      metadata JSON (UTF-8): { savedAt, uptimeMs, guestImage, ranges: [[first page, count], ...] }
 *                         (files of version 1 before ranges list `pages: [page numbers]` instead)
 *   offset 4096  ...      memory image; page n lives at 4096 + n × 4096
 *
 * The file is as long as header + memory image but sparse: only the header and the pages the
 * guest touched are written. Page 0 onwards hold the guest's own state (see guest/guestMemory.ts),
 * then its working set. A checkpoint without memory (Production, or taken while Off) has a header only.
 */
export const SAVED_STATE_MAGIC = 'HVMVMRS\0';
export const SAVED_STATE_HEADER_SIZE = 4096;
export const SAVED_STATE_PAGE_SIZE = 4096;
const MAX_META = SAVED_STATE_HEADER_SIZE - 32;
/** Largest single write (and read) of the memory image: two such buffers are all a save holds. */
const WRITE_CHUNK = 16 * 1024 * 1024;

export interface SavedStateMeta {
  savedAt: string;
  uptimeMs: number;
  guestImage: string | null;
}

/**
 * The pages of a memory image, produced on demand so that an image is written without holding
 * it whole: `ranges` lists the present pages as ascending runs [first page, count]; `read` fills
 * `target` (a whole number of pages) with the pages from `first` on, all inside one run.
 */
export interface MemoryImage {
  readonly ranges: readonly (readonly [number, number])[];
  read(first: number, target: Uint8Array): void | Promise<void>;
}

export interface SavedState {
  meta: SavedStateMeta;
  memoryBytes: number;
  image: MemoryImage;
}

/** An image of a few explicit pages (shorter pages are zero-padded). */
export function imageOfPages(pages: ReadonlyMap<number, Uint8Array>): MemoryImage {
  const numbers = [...pages.keys()].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const page of numbers) {
    const last = ranges.at(-1);
    if (last !== undefined && last[0] + last[1] === page) last[1] += 1;
    else ranges.push([page, 1]);
  }
  return {
    ranges,
    read(first, target) {
      for (let k = 0; k * SAVED_STATE_PAGE_SIZE < target.length; k += 1) {
        const slot = target.subarray(k * SAVED_STATE_PAGE_SIZE, (k + 1) * SAVED_STATE_PAGE_SIZE);
        const data = pages.get(first + k) ?? new Uint8Array(0);
        slot.set(data.subarray(0, SAVED_STATE_PAGE_SIZE));
        slot.fill(0, Math.min(data.length, SAVED_STATE_PAGE_SIZE));
      }
    },
  };
}

export const EMPTY_IMAGE: MemoryImage = { ranges: [], read: () => undefined };

/** Pages an image holds. */
export function pageCount(image: MemoryImage): number {
  return image.ranges.reduce((sum, [, count]) => sum + count, 0);
}

/**
 * Writes a saved-state file atomically: a temporary file, then a rename over the final name.
 * The image goes out in sequential writes of up to WRITE_CHUNK bytes through two buffers (the
 * next chunk is produced while the last one is written); untouched pages stay holes.
 * `onProgress` receives the share of pages written, 0..1.
 */
export async function writeSavedState(
  store: FileStore,
  path: string,
  state: SavedState,
  tempSuffix: string,
  onProgress?: (written: number) => void,
  rate?: Throttle,
): Promise<void> {
  const { image } = state;
  const ranges = image.ranges.map(([first, count]) => [first, count] as [number, number]);
  for (const [first, count] of ranges) {
    if ((first + count) * SAVED_STATE_PAGE_SIZE > state.memoryBytes)
      throw new Error(`page ${first + count - 1} lies outside the memory image`);
  }
  const metaBytes = new TextEncoder().encode(JSON.stringify({ ...state.meta, ranges }));
  if (metaBytes.length > MAX_META) throw new Error('saved-state metadata does not fit the header');
  const header = new Uint8Array(SAVED_STATE_HEADER_SIZE);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode(SAVED_STATE_MAGIC), 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, SAVED_STATE_HEADER_SIZE, true);
  view.setBigUint64(16, BigInt(state.memoryBytes), true);
  view.setUint32(24, SAVED_STATE_PAGE_SIZE, true);
  view.setUint32(28, metaBytes.length, true);
  header.set(metaBytes, 32);

  const total = pageCount(image);
  const chunkPages = Math.max(1, Math.min(WRITE_CHUNK / SAVED_STATE_PAGE_SIZE, total));
  const buffers = [0, 1].map(() => new Uint8Array(chunkPages * SAVED_STATE_PAGE_SIZE));
  const temp = `${path}.tmp-${tempSuffix}`;
  const handle = await store.open(temp, 'wx');
  try {
    await handle.write(header, 0);
    let written = 0;
    let pending: Promise<void> = Promise.resolve();
    let turn = 0;
    for (const [first, count] of ranges) {
      for (let page = first; page < first + count; page += chunkPages) {
        const pages = Math.min(chunkPages, first + count - page);
        const buffer = buffers[turn % 2] ?? new Uint8Array(0);
        turn += 1;
        const chunk = buffer.subarray(0, pages * SAVED_STATE_PAGE_SIZE);
        await image.read(page, chunk);
        await pending;
        pending = handle.write(chunk, SAVED_STATE_HEADER_SIZE + page * SAVED_STATE_PAGE_SIZE);
        written += pages;
        onProgress?.(written / total);
        await rate?.spend(chunk.length);
      }
    }
    await pending;
    await handle.truncate(SAVED_STATE_HEADER_SIZE + state.memoryBytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await store.rename(temp, path);
}

/** An open saved-state file: its metadata, and its image read from the file on demand. */
export interface OpenSavedState extends SavedState {
  close(): Promise<void>;
}

export async function openSavedState(store: FileStore, path: string): Promise<OpenSavedState> {
  const handle = await store.open(path, 'r');
  try {
    const header = new Uint8Array(SAVED_STATE_HEADER_SIZE);
    const read = await handle.read(header, 0);
    const magic = new TextDecoder().decode(header.subarray(0, 8));
    if (read < 32 || magic !== SAVED_STATE_MAGIC)
      throw new Error(`${path} is not a saved-state file`);
    const view = new DataView(header.buffer);
    const memoryBytes = Number(view.getBigUint64(16, true));
    const metaLength = view.getUint32(28, true);
    const raw = JSON.parse(
      new TextDecoder().decode(header.subarray(32, 32 + metaLength)),
    ) as SavedStateMeta & {
      pages?: number[];
      ranges?: [number, number][];
    };
    let ranges: [number, number][] = (raw.ranges ?? []).map(([f, c]) => [f, c]);
    if (raw.pages !== undefined) {
      const pages = new Map(raw.pages.map((page) => [page, new Uint8Array(0)]));
      ranges = imageOfPages(pages).ranges.map(([f, c]) => [f, c]);
    }
    return {
      meta: { savedAt: raw.savedAt, uptimeMs: raw.uptimeMs, guestImage: raw.guestImage },
      memoryBytes,
      image: {
        ranges,
        async read(first, target) {
          await handle.read(target, SAVED_STATE_HEADER_SIZE + first * SAVED_STATE_PAGE_SIZE);
        },
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Pages `first`.. of a saved-state file (holes and pages past the end read as zeros). */
export async function readSavedPages(
  state: SavedState,
  first: number,
  count: number,
): Promise<Uint8Array> {
  const bytes = new Uint8Array(count * SAVED_STATE_PAGE_SIZE);
  for (const [start, length] of state.image.ranges) {
    const from = Math.max(start, first);
    const to = Math.min(start + length, first + count);
    if (from >= to) continue;
    await state.image.read(
      from,
      bytes.subarray((from - first) * SAVED_STATE_PAGE_SIZE, (to - first) * SAVED_STATE_PAGE_SIZE),
    );
  }
  return bytes;
}

/** Copies a saved-state file through bounded buffers (Apply brings a checkpoint's memory back). */
export async function copySavedState(
  store: FileStore,
  from: string,
  to: string,
  tempSuffix: string,
): Promise<SavedStateMeta> {
  const source = await openSavedState(store, from);
  try {
    await writeSavedState(store, to, source, tempSuffix);
    return source.meta;
  } finally {
    await source.close();
  }
}

/** Page 0 of the memory image: the guest's state as JSON, zero-padded to a page. */
export function guestStatePage(state: unknown): Uint8Array {
  const page = new Uint8Array(SAVED_STATE_PAGE_SIZE);
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  page.set(bytes.subarray(0, SAVED_STATE_PAGE_SIZE));
  return page;
}
