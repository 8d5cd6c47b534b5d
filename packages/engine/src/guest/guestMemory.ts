import {
  SAVED_STATE_PAGE_SIZE,
  readSavedPages,
  type MemoryImage,
  type SavedState,
} from '../persistence/savedState.js';
import type { GuestBootKind } from '../types.js';
import type { DbPage } from './diskFormat.js';

const MIB = 1024 * 1024;
const MAGIC = 'HVMGUEST';
/** Each tick the workload writes this share of its working set (a window that moves on). */
const TOUCHED_PER_TICK = 1 / 16;

/**
 * The guest's RAM as the host tracks it: for every page of the working set, the guest tick that
 * last wrote it. A page's bytes follow from its number and that tick (see `fillGuestPages`), so
 * the page map is the memory: copying the map is a copy-on-write snapshot of the whole RAM.
 */
export class GuestRam {
  private constructor(private map: Uint32Array) {}

  static of(workingSetMB: number, memoryMB: number): GuestRam {
    return new GuestRam(new Uint32Array(workingSetPages(workingSetMB, memoryMB)));
  }

  get stamps(): Uint32Array {
    return this.map;
  }

  get pages(): number {
    return this.map.length;
  }

  /** The working set grew or shrank (a settings change): pages keep their stamps. */
  resize(pages: number): void {
    if (pages === this.map.length) return;
    const next = new Uint32Array(pages);
    next.set(this.map.subarray(0, pages));
    this.map = next;
  }

  /** The workload of tick `tick` writes its window of pages. */
  touch(tick: number): void {
    const total = this.stamps.length;
    if (total === 0) return;
    const window = Math.max(1, Math.floor(total * TOUCHED_PER_TICK));
    const start = ((tick - 1) * window) % total;
    const end = start + window;
    this.stamps.fill(tick, start, Math.min(end, total));
    if (end > total) this.stamps.fill(tick, 0, end - total);
  }

  /** The page map as of now; later writes of the guest do not change it. */
  snapshot(): Uint32Array {
    return this.stamps.slice();
  }
}

/** Pages of the working set: what the guest touched of its memory. */
export function workingSetPages(workingSetMB: number, memoryMB: number): number {
  return Math.floor((Math.min(workingSetMB, memoryMB) * MIB) / SAVED_STATE_PAGE_SIZE);
}

/**
 * Everything the guest holds in memory, saved to `.vmrs` page 0 onwards (JSON): what Save and
 * Standard checkpoints keep and Start resumes.
 */
export interface GuestMemoryState {
  v: 1;
  image: string;
  nextTxn: number;
  lastCommitted: number;
  checkpointLsn: number;
  invocation: number;
  /** A domain controller's copy of the VM-Generation ID it last saw (absent: none, or not a DC). */
  generationId?: string | null;
  mountCount: number;
  /** Transactions begun and not committed: their changes exist only here. */
  inFlight: number[];
  /** The buffer pool: every database page as the application sees it. */
  pages: DbPage[];
  /** Pages changed since the application last wrote them. */
  dirty: number[];
  /** Pages written by the application and held by the OS page cache, not yet on disk. */
  osCache: number[];
  ticks: number;
  boot: { kind: GuestBootKind; message: string };
  lines: string[];
}

/** The guest's memory at one instant: its state and its page map. */
export interface GuestMemorySnapshot {
  state: GuestMemoryState;
  stamps: Uint32Array;
}

/**
 * The guest's memory image in a `.vmrs`: page 0 onwards hold "HVMGUEST", a u32 length and the
 * guest's state as JSON (as many pages as it needs); then the working set, each page filled with
 * pairs of u32 (its page number, the tick that last wrote it). Pages are produced as the writer
 * asks for them, from the snapshot: nothing of the image is held whole.
 */
export function guestMemoryImage(snapshot: GuestMemorySnapshot, memoryBytes: number): MemoryImage {
  const json = new TextEncoder().encode(JSON.stringify(snapshot.state));
  const head = new Uint8Array(12 + json.length);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(8, json.length, true);
  head.set(json, 12);
  const statePages = Math.ceil(head.length / SAVED_STATE_PAGE_SIZE);
  const limit = Math.floor(memoryBytes / SAVED_STATE_PAGE_SIZE);
  const pages = Math.min(limit, Math.max(statePages, snapshot.stamps.length));
  return {
    ranges: pages === 0 ? [] : [[0, pages]],
    read(first, target) {
      const count = target.length / SAVED_STATE_PAGE_SIZE;
      const headStart = first * SAVED_STATE_PAGE_SIZE;
      if (headStart < statePages * SAVED_STATE_PAGE_SIZE) {
        const part = head.subarray(headStart, statePages * SAVED_STATE_PAGE_SIZE);
        target.set(part.subarray(0, target.length));
        target.fill(
          0,
          part.length,
          Math.min(target.length, (statePages - first) * SAVED_STATE_PAGE_SIZE),
        );
      }
      const from = Math.max(first, statePages);
      fillGuestPages(
        target.subarray((from - first) * SAVED_STATE_PAGE_SIZE),
        from,
        snapshot.stamps,
        first + count - from,
      );
    },
  };
}

/** Fills `count` pages from page `first` on: pairs of u32 (page number, tick that wrote it). */
function fillGuestPages(
  target: Uint8Array,
  first: number,
  stamps: Uint32Array,
  count: number,
): void {
  if (count <= 0) return;
  const aligned = target.byteOffset % 8 === 0;
  const words = aligned ? new BigUint64Array(target.buffer, target.byteOffset, count * 512) : null;
  const view = new DataView(target.buffer, target.byteOffset, target.length);
  for (let k = 0; k < count; k += 1) {
    const page = first + k;
    const stamp = stamps[page] ?? 0;
    if (words !== null) {
      words.fill((BigInt(stamp) << 32n) | BigInt(page), k * 512, (k + 1) * 512);
      continue;
    }
    for (let at = k * SAVED_STATE_PAGE_SIZE; at < (k + 1) * SAVED_STATE_PAGE_SIZE; at += 8) {
      view.setUint32(at, page, true);
      view.setUint32(at + 4, stamp, true);
    }
  }
}

/** The guest's state from the first pages of an image, or null (no guest memory). */
export async function decodeGuestState(state: SavedState): Promise<GuestMemoryState | null> {
  if (state.memoryBytes === 0) return null;
  const first = await readSavedPages(state, 0, 1);
  if (new TextDecoder().decode(first.subarray(0, 8)) !== MAGIC) return null;
  const length = new DataView(first.buffer, first.byteOffset).getUint32(8, true);
  const bytes = await readSavedPages(state, 0, Math.ceil((12 + length) / SAVED_STATE_PAGE_SIZE));
  try {
    const decoded = JSON.parse(
      new TextDecoder().decode(bytes.subarray(12, 12 + length)),
    ) as GuestMemoryState;
    return decoded.v === 1 ? decoded : null;
  } catch {
    return null;
  }
}

/**
 * The guest's memory as a saved-state file holds it: its state and its page map, read back from
 * the working-set pages in bounded runs (the state's own pages count as written at tick 0).
 */
export async function decodeGuestMemory(state: SavedState): Promise<GuestMemorySnapshot | null> {
  const decoded = await decodeGuestState(state);
  if (decoded === null) return null;
  const last = state.image.ranges.at(-1);
  const stamps = new Uint32Array(last === undefined ? 0 : last[0] + last[1]);
  const run = 1024;
  for (const [start, length] of state.image.ranges) {
    for (let page = start; page < Math.min(start + length, stamps.length); page += run) {
      const count = Math.min(run, start + length - page, stamps.length - page);
      const bytes = await readSavedPages(state, page, count);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      for (let k = 0; k < count; k += 1) {
        const at = k * SAVED_STATE_PAGE_SIZE;
        if (view.getUint32(at, true) === page + k) stamps[page + k] = view.getUint32(at + 4, true);
      }
    }
  }
  return { state: decoded, stamps };
}
