import { SAVED_STATE_PAGE_SIZE } from '../persistence/savedState.js';
import type { GuestMemoryState } from './guestRuntime.js';

const MIB = 1024 * 1024;
const MAGIC = 'HVMGUEST';

/**
 * The guest's memory image in a `.vmrs`: page 0 onwards hold "HVMGUEST", a u32 length and the
 * guest's state as JSON (as many pages as it needs); then the working set, pages the workload
 * touched, each stamped with its page number and the guest's tick so that they differ.
 */
export function encodeGuestMemory(
  state: GuestMemoryState,
  workingSetMB: number,
  memoryBytes: number,
): Map<number, Uint8Array> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const total = 12 + json.length;
  const statePages = Math.ceil(total / SAVED_STATE_PAGE_SIZE);
  const all = new Uint8Array(statePages * SAVED_STATE_PAGE_SIZE);
  all.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(all.buffer).setUint32(8, json.length, true);
  all.set(json, 12);
  const pages = new Map<number, Uint8Array>();
  for (let page = 0; page < statePages; page += 1)
    pages.set(page, all.subarray(page * SAVED_STATE_PAGE_SIZE, (page + 1) * SAVED_STATE_PAGE_SIZE));
  const limit = Math.floor(memoryBytes / SAVED_STATE_PAGE_SIZE);
  const workingSet = Math.min(limit, Math.floor((workingSetMB * MIB) / SAVED_STATE_PAGE_SIZE));
  for (let page = statePages; page < workingSet; page += 1) {
    const data = new Uint8Array(SAVED_STATE_PAGE_SIZE);
    const view = new DataView(data.buffer);
    for (let at = 0; at < SAVED_STATE_PAGE_SIZE; at += 8) {
      view.setUint32(at, page, true);
      view.setUint32(at + 4, state.ticks, true);
    }
    pages.set(page, data);
  }
  return pages;
}

export function decodeGuestMemory(pages: Map<number, Uint8Array>): GuestMemoryState | null {
  const first = pages.get(0);
  if (first === undefined || new TextDecoder().decode(first.subarray(0, 8)) !== MAGIC) return null;
  const length = new DataView(first.buffer, first.byteOffset).getUint32(8, true);
  const bytes = new Uint8Array(12 + length);
  for (let page = 0; page * SAVED_STATE_PAGE_SIZE < bytes.length; page += 1) {
    const data = pages.get(page);
    if (data === undefined) return null;
    bytes.set(
      data.subarray(
        0,
        Math.min(SAVED_STATE_PAGE_SIZE, bytes.length - page * SAVED_STATE_PAGE_SIZE),
      ),
      page * SAVED_STATE_PAGE_SIZE,
    );
  }
  try {
    const state = JSON.parse(new TextDecoder().decode(bytes.subarray(12))) as GuestMemoryState;
    return state.v === 1 ? state : null;
  } catch {
    return null;
  }
}
