/**
 * A guest made of plain memory for unit tests: one region, a split ring of `RING_SIZE` entries
 * laid out in it, helpers that write descriptors and offer chains as a driver would, and a
 * `QueueWorker` serving the ring onto a memory export.
 */
import { memoryBlockExport } from '@hvm/nbd';
import { BlockRequestHandler, type VectoredBlockExport } from './blockRequests.js';
import { DirtyLog, GuestMemory } from './guestMemory.js';
import { DESC_BYTES } from './protocol.js';
import { QueueWorker } from './queueWorker.js';
import { SplitRing } from './virtqueue.js';

export const RING_SIZE = 8;
export const MEMORY_BYTES = 1024 * 1024;
/** The front end's virtual address of the region: ring addresses are given in it. */
export const USER_BASE = 0x7f00_0000_0000;
/** Guest physical address of the region (not 0, so a translation mistake shows). */
export const GUEST_BASE = 0x10_0000;
export const DESCRIPTORS_AT = 0x1000;
export const AVAIL_AT = 0x2000;
export const USED_AT = 0x3000;
/** Where tests put request headers and data: guest addresses from here on. */
export const DATA_AT = 0x10000;

export interface SyntheticGuest {
  bytes: Uint8Array;
  memory: GuestMemory;
  blockExport: ReturnType<typeof memoryBlockExport> & VectoredBlockExport;
  worker: QueueWorker;
  ring: SplitRing;
  counts: { reads: number; writes: number; flushes: number; discards: number; errors: number };
  logs: string[];
  notified: () => number;
  bitmap: Uint8Array;
  /** Writes descriptor `index` of the ring's table (or of a table at guest address `table`). */
  descriptor(
    index: number,
    address: number | bigint,
    length: number,
    flags: number,
    next?: number,
    table?: number,
  ): void;
  /** Offers `head` in the avail ring and returns nothing; call `worker.process()` after. */
  offer(head: number): void;
  /** Sets the avail index directly (hostile drivers). */
  setAvailIndex(index: number): void;
  used(): { index: number; elements: { id: number; length: number }[] };
  /** The byte at guest address `address`. */
  at(address: number): Uint8Array;
  settle(): Promise<void>;
}

export function syntheticGuest(
  options: {
    exportBytes?: number;
    blockExport?: ReturnType<typeof memoryBlockExport> & VectoredBlockExport;
    logging?: boolean;
    /** Whether the used ring's writes are logged now (VHOST_VRING_F_LOG); default always. */
    usedRingLogged?: () => boolean;
  } = {},
): SyntheticGuest {
  const bytes = new Uint8Array(MEMORY_BYTES);
  const memory = new GuestMemory([
    { guestPhysicalAddress: GUEST_BASE, sizeBytes: MEMORY_BYTES, userAddress: USER_BASE, bytes },
  ]);
  const blockExport = options.blockExport ?? memoryBlockExport(options.exportBytes ?? 1024 * 1024);
  const parts = SplitRing.partBytes(RING_SIZE);
  const user = (offset: number, length: number): Uint8Array => {
    const found = memory.user(USER_BASE + offset, length);
    if (found === null) throw new Error('ring outside memory');
    return found;
  };
  const ring = new SplitRing(
    {
      size: RING_SIZE,
      descriptors: user(DESCRIPTORS_AT, parts.descriptors),
      avail: user(AVAIL_AT, parts.avail),
      used: user(USED_AT, parts.used),
    },
    memory,
    0,
  );
  const counts = { reads: 0, writes: 0, flushes: 0, discards: 0, errors: 0 };
  const handler = new BlockRequestHandler(
    blockExport,
    counts,
    new TextEncoder().encode('serial-1'),
  );
  const logs: string[] = [];
  let notifications = 0;
  // Bits for the region's pages: guest addresses up to GUEST_BASE + MEMORY_BYTES.
  const bitmap = new Uint8Array((GUEST_BASE + MEMORY_BYTES) / 4096 / 8);
  const dirtyLog = new DirtyLog(bitmap);
  const worker = new QueueWorker(ring, handler, {
    dirtyLog: () => (options.logging === true ? dirtyLog : null),
    usedRingLogAddress: () => ((options.usedRingLogged?.() ?? true) ? GUEST_BASE + USED_AT : null),
    notify: () => notifications++,
    log: (message) => logs.push(message),
  });
  const view = new DataView(bytes.buffer);
  let availIndex = 0;
  return {
    bytes,
    memory,
    blockExport,
    worker,
    ring,
    counts,
    logs,
    bitmap,
    notified: () => notifications,
    descriptor(index, address, length, flags, next = 0, table) {
      const at = (table === undefined ? DESCRIPTORS_AT : table - GUEST_BASE) + index * DESC_BYTES;
      view.setBigUint64(at, BigInt(address), true);
      view.setUint32(at + 8, length, true);
      view.setUint16(at + 12, flags, true);
      view.setUint16(at + 14, next, true);
    },
    offer(head) {
      view.setUint16(AVAIL_AT + 4 + (availIndex % RING_SIZE) * 2, head, true);
      availIndex = (availIndex + 1) & 0xffff;
      view.setUint16(AVAIL_AT + 2, availIndex, true);
    },
    setAvailIndex(index) {
      availIndex = index;
      view.setUint16(AVAIL_AT + 2, index, true);
    },
    used() {
      const index = view.getUint16(USED_AT + 2, true);
      const elements = [];
      for (let slot = 0; slot < Math.min(index, RING_SIZE); slot++)
        elements.push({
          id: view.getUint32(USED_AT + 4 + slot * 8, true),
          length: view.getUint32(USED_AT + 8 + slot * 8, true),
        });
      return { index, elements };
    },
    at(address) {
      return bytes.subarray(address - GUEST_BASE);
    },
    settle: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
}

/** Writes a virtio-blk header (type, sector) at guest address `address`. */
export function writeHeader(
  guest: SyntheticGuest,
  address: number,
  type: number,
  sector: number | bigint,
): void {
  const view = new DataView(guest.bytes.buffer, address - GUEST_BASE, 16);
  view.setUint32(0, type, true);
  view.setUint32(4, 0, true);
  view.setBigUint64(8, BigInt(sector), true);
}
