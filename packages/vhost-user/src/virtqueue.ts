/**
 * One split virtqueue (virtio 1.2 §2.7) read from the guest's memory: available heads, their
 * descriptor chains (direct and one level of indirect table, §2.7.5.3), and the used ring this
 * back end fills. The guest is hostile: every index, address and length is checked, a chain is
 * bounded by the queue size, and a ring that cannot be read is reported broken, never trusted.
 */
import type { DirtyLog, GuestMemory } from './guestMemory.js';
import {
  AVAIL_F_NO_INTERRUPT,
  DESC_BYTES,
  DESC_F_INDIRECT,
  DESC_F_NEXT,
  DESC_F_WRITE,
} from './protocol.js';

/** One piece of a request: guest memory at `guestAddress`, writable by the device or not. */
export interface Segment {
  readonly guestAddress: number;
  readonly bytes: Uint8Array;
  readonly writable: boolean;
}

/** A chain as parsed: its segments in order, or why it cannot be used. */
export type Chain =
  | { head: number; segments: Segment[] }
  | { head: number; badAddress: true; lastWritable: Segment | null };

export class RingBroken extends Error {}

/** Where the three parts of the ring are, as SET_VRING_ADDR and SET_VRING_NUM gave them. */
export interface RingLayout {
  size: number;
  descriptors: Uint8Array;
  avail: Uint8Array;
  used: Uint8Array;
}

export class SplitRing {
  private readonly descriptors: DataView;
  private readonly availIndex: Uint16Array;
  private readonly availFlags: Uint16Array;
  private readonly availRing: Uint16Array;
  private readonly usedIndex: Uint16Array;
  private readonly usedElements: Uint32Array;
  /** The next available entry to take (SET_VRING_BASE / GET_VRING_BASE). */
  lastAvailIndex: number;
  private nextUsedIndex: number;
  readonly size: number;

  constructor(
    readonly layout: RingLayout,
    private readonly memory: GuestMemory,
    lastAvailIndex: number,
  ) {
    const { size, descriptors, avail, used } = layout;
    this.size = size;
    this.descriptors = new DataView(
      descriptors.buffer,
      descriptors.byteOffset,
      descriptors.byteLength,
    );
    this.availFlags = new Uint16Array(avail.buffer, avail.byteOffset, 1);
    this.availIndex = new Uint16Array(avail.buffer, avail.byteOffset + 2, 1);
    this.availRing = new Uint16Array(avail.buffer, avail.byteOffset + 4, size);
    this.usedIndex = new Uint16Array(used.buffer, used.byteOffset + 2, 1);
    this.usedElements = new Uint32Array(used.buffer, used.byteOffset + 4, size * 2);
    this.lastAvailIndex = lastAvailIndex & 0xffff;
    // The used index the guest last saw: where a restarted ring (migration, reconnect) goes on.
    this.nextUsedIndex = Atomics.load(this.usedIndex, 0);
  }

  /** Bytes each part needs for `size` entries (virtio 1.2 §2.7: no event-index fields used). */
  static partBytes(size: number): { descriptors: number; avail: number; used: number } {
    return { descriptors: size * DESC_BYTES, avail: 4 + 2 * size + 2, used: 4 + 8 * size + 2 };
  }

  /** The next available head, or null when the guest offered nothing more. */
  nextAvailable(): number | null {
    const availIndex = Atomics.load(this.availIndex, 0);
    const pending = (availIndex - this.lastAvailIndex) & 0xffff;
    if (pending === 0) return null;
    if (pending > this.size)
      throw new RingBroken(`avail index ${availIndex} is ${pending} past ${this.lastAvailIndex}`);
    const head = Atomics.load(this.availRing, this.lastAvailIndex % this.size);
    this.lastAvailIndex = (this.lastAvailIndex + 1) & 0xffff;
    if (head >= this.size) throw new RingBroken(`head ${head} beyond the queue size ${this.size}`);
    return head;
  }

  /**
   * The chain starting at `head`: at most `size` descriptors in all (an indirect table counts
   * its entries), no loops, indirect only once and never together with NEXT. A structural fault
   * breaks the ring; an address outside the guest's memory only fails this request.
   */
  chain(head: number): Chain {
    const segments: Segment[] = [];
    let badAddress = false;
    let lastWritable: Segment | null = null;
    let table = this.descriptors;
    let tableSize = this.size;
    let index = head;
    let indirect = false;
    // Descriptors that carry data, at most the queue size; the one naming an indirect table is
    // not counted (Linux fills a table with up to seg_max + 2 = the queue size entries).
    for (let count = 0; ; count++) {
      if (count >= this.size) throw new RingBroken(`chain from ${head} is longer than the queue`);
      if (index >= tableSize) throw new RingBroken(`descriptor ${index} beyond its table`);
      const at = index * DESC_BYTES;
      const address = table.getBigUint64(at, true);
      const length = table.getUint32(at + 8, true);
      const flags = table.getUint16(at + 12, true);
      const next = table.getUint16(at + 14, true);
      if (flags & DESC_F_INDIRECT) {
        if (indirect || flags & DESC_F_NEXT)
          throw new RingBroken(`descriptor ${index}: indirect inside indirect or with next`);
        if (length === 0 || length % DESC_BYTES !== 0)
          throw new RingBroken(`indirect table of ${length} bytes`);
        const entries = length / DESC_BYTES;
        if (entries > this.size) throw new RingBroken(`indirect table of ${entries} entries`);
        const bytes = this.memory.guest(safeNumber(address), length);
        if (bytes === null) throw new RingBroken(`indirect table outside the guest's memory`);
        table = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        tableSize = entries;
        indirect = true;
        index = 0;
        count--;
        continue;
      }
      const writable = (flags & DESC_F_WRITE) !== 0;
      const guestAddress = safeNumber(address);
      const bytes = this.memory.guest(guestAddress, length);
      if (bytes === null) badAddress = true;
      else {
        const segment = { guestAddress, bytes, writable };
        segments.push(segment);
        if (writable) lastWritable = segment;
      }
      if (!(flags & DESC_F_NEXT)) break;
      index = next;
    }
    return badAddress ? { head, badAddress, lastWritable } : { head, segments };
  }

  /**
   * Puts `head` in the used ring with the bytes the device wrote, then publishes the used index
   * (an atomic store: the element is visible before the index, virtio 1.2 §2.7.8; on x86 V8
   * makes it a locked exchange, so the later read of the avail flags is not moved before it).
   */
  complete(head: number, written: number): void {
    const slot = this.nextUsedIndex % this.size;
    this.usedElements[slot * 2] = head;
    this.usedElements[slot * 2 + 1] = written;
    this.nextUsedIndex = (this.nextUsedIndex + 1) & 0xffff;
    Atomics.store(this.usedIndex, 0, this.nextUsedIndex);
  }

  /**
   * Logs the used element last completed and the used index (their guest pages), the used ring
   * being at guest physical address `usedGuestAddress`.
   */
  logCompletion(log: DirtyLog, usedGuestAddress: number): void {
    const slot = ((this.nextUsedIndex - 1 + 0x10000) % 0x10000) % this.size;
    log.mark(usedGuestAddress + 4 + slot * 8, 8);
    log.mark(usedGuestAddress + 2, 2);
  }

  /** Whether the driver asked not to be interrupted (virtio 1.2 §2.7.7, no EVENT_IDX). */
  interruptWanted(): boolean {
    return (Atomics.load(this.availFlags, 0) & AVAIL_F_NO_INTERRUPT) === 0;
  }
}

/** A guest's u64 as a number, or one no region contains when it is past 2^53. */
function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
}
