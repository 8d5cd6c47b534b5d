import type { FileStore } from '@hvm/vhdx';

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
/** Largest single write (and read) of the memory image. */
const WRITE_CHUNK = 4 * 1024 * 1024;

export interface SavedStateMeta {
  savedAt: string;
  uptimeMs: number;
  guestImage: string | null;
}

export interface SavedState {
  meta: SavedStateMeta;
  memoryBytes: number;
  /** Touched pages of the memory image, by page number. */
  pages: Map<number, Uint8Array>;
}

/** Writes a saved-state file atomically: a temporary file, then a rename over the final name. */
export async function writeSavedState(
  store: FileStore,
  path: string,
  state: SavedState,
  tempSuffix: string,
): Promise<void> {
  const pageNumbers = [...state.pages.keys()].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const page of pageNumbers) {
    const last = ranges.at(-1);
    if (last !== undefined && last[0] + last[1] === page) last[1] += 1;
    else ranges.push([page, 1]);
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

  const temp = `${path}.tmp-${tempSuffix}`;
  const handle = await store.open(temp, 'wx');
  try {
    await handle.write(header, 0);
    // Neighbouring pages go out together, up to WRITE_CHUNK bytes a write, through one bounded buffer.
    const buffer = new Uint8Array(
      Math.min(WRITE_CHUNK, pageNumbers.length * SAVED_STATE_PAGE_SIZE),
    );
    let first = -1;
    let filled = 0;
    const flush = async (): Promise<void> => {
      if (filled === 0) return;
      const offset = SAVED_STATE_HEADER_SIZE + first * SAVED_STATE_PAGE_SIZE;
      await handle.write(buffer.subarray(0, filled), offset);
      filled = 0;
    };
    for (const page of pageNumbers) {
      const data = state.pages.get(page);
      if (data === undefined) continue;
      if (
        page * SAVED_STATE_PAGE_SIZE + Math.min(data.length, SAVED_STATE_PAGE_SIZE) >
        state.memoryBytes
      ) {
        throw new Error(`page ${page} lies outside the memory image`);
      }
      const contiguous = filled > 0 && first + filled / SAVED_STATE_PAGE_SIZE === page;
      if (!contiguous || filled + SAVED_STATE_PAGE_SIZE > buffer.length) {
        await flush();
        first = page;
      }
      const slot = buffer.subarray(filled, filled + SAVED_STATE_PAGE_SIZE);
      slot.set(data.subarray(0, SAVED_STATE_PAGE_SIZE));
      if (data.length < SAVED_STATE_PAGE_SIZE) slot.fill(0, data.length);
      filled += SAVED_STATE_PAGE_SIZE;
    }
    await flush();
    await handle.truncate(SAVED_STATE_HEADER_SIZE + state.memoryBytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await store.rename(temp, path);
}

export async function readSavedState(store: FileStore, path: string): Promise<SavedState> {
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
    const numbers = [...(raw.pages ?? [])];
    for (const [first, count] of raw.ranges ?? [])
      for (let page = first; page < first + count; page += 1) numbers.push(page);
    numbers.sort((a, b) => a - b);
    const pages = new Map<number, Uint8Array>();
    // Runs of neighbouring pages are read with one call of up to WRITE_CHUNK bytes.
    for (let i = 0; i < numbers.length;) {
      const first = numbers[i] ?? 0;
      let count = 1;
      while (
        i + count < numbers.length &&
        numbers[i + count] === first + count &&
        (count + 1) * SAVED_STATE_PAGE_SIZE <= WRITE_CHUNK
      )
        count += 1;
      const run = new Uint8Array(count * SAVED_STATE_PAGE_SIZE);
      await handle.read(run, SAVED_STATE_HEADER_SIZE + first * SAVED_STATE_PAGE_SIZE);
      for (let k = 0; k < count; k += 1)
        pages.set(
          first + k,
          run.subarray(k * SAVED_STATE_PAGE_SIZE, (k + 1) * SAVED_STATE_PAGE_SIZE),
        );
      i += count;
    }
    return {
      meta: { savedAt: raw.savedAt, uptimeMs: raw.uptimeMs, guestImage: raw.guestImage },
      memoryBytes,
      pages,
    };
  } finally {
    await handle.close();
  }
}

/** Page 0 of the memory image: the guest's state as JSON, zero-padded to a page. */
export function guestStatePage(state: unknown): Uint8Array {
  const page = new Uint8Array(SAVED_STATE_PAGE_SIZE);
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  page.set(bytes.subarray(0, SAVED_STATE_PAGE_SIZE));
  return page;
}
