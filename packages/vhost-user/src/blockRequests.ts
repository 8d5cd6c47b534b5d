/**
 * virtio-blk requests (virtio 1.2 §5.2.6) served on a `BlockExport`: the 16-byte header
 * (type, reserved, sector) in the device-readable part, the data, and the status byte, the last
 * byte of the device-writable part. Header and data may share a descriptor; data may span many.
 * Each I/O goes straight between the guest's memory and the export (one copy) unless a request
 * has several pieces and the export has no vectored calls: then a bounce buffer.
 */
import type { BlockExport } from '@hvm/nbd';
import {
  BLK_HEADER_BYTES,
  BLK_ID_BYTES,
  BlkStatus,
  BlkType,
  DISCARD_SEGMENT_BYTES,
  SECTOR_BYTES,
} from './protocol.js';
import type { Segment } from './virtqueue.js';

/**
 * `BlockExport` with the vectored calls another change adds to it: the request's pieces of guest
 * memory in order, one system call where the disk can.
 */
export interface VectoredBlockExport extends BlockExport {
  readIntoSegments?(offset: number, segments: Uint8Array[]): Promise<void>;
  writeSegments?(offset: number, segments: Uint8Array[], forceUnitAccess: boolean): Promise<void>;
}

export interface RequestCounts {
  reads: number;
  writes: number;
  flushes: number;
  discards: number;
  errors: number;
}

/** What the device did: the status it wrote and the data bytes it wrote before it. */
export interface RequestOutcome {
  status: number;
  /** Device-writable bytes written, the status byte not counted. */
  dataWritten: number;
  /** Guest ranges written (data only), for the dirty log. */
  writtenRanges: { guestAddress: number; length: number }[];
}

/** Discard segments one request may carry (virtio_blk_config.max_discard_seg). */
export const MAX_DISCARD_SEGMENTS = 32;
/** Sectors one discard segment may cover (virtio_blk_config.max_discard_sectors): 1 GiB. */
export const MAX_DISCARD_SECTORS = 1 << 21;

/**
 * Bounce buffers that exist at once (in use or kept for reuse). A request that needs one while
 * all are in use waits for one: a guest may keep a whole queue of requests in pieces under way
 * on a slow disk, and one buffer each would be queue size × 4 MiB.
 */
export const MAX_BOUNCE_BUFFERS = 8;
/** The most a bounce buffer holds: a longer request goes through it in chunks. */
export const BOUNCE_CHUNK_BYTES = 4 * 1024 * 1024;

/** A byte range of a list of segments as views, in order (shorter where the segments end first). */
export function rangeOf(segments: readonly Segment[], start: number, length: number): Segment[] {
  const pieces: Segment[] = [];
  let skip = start;
  let left = length;
  for (const segment of segments) {
    if (left === 0) break;
    const size = segment.bytes.length;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    const take = Math.min(size - skip, left);
    pieces.push({
      guestAddress: segment.guestAddress + skip,
      bytes: segment.bytes.subarray(skip, skip + take),
      writable: segment.writable,
    });
    left -= take;
    skip = 0;
  }
  return pieces;
}

function totalOf(segments: readonly Segment[]): number {
  return segments.reduce((sum, segment) => sum + segment.bytes.length, 0);
}

export class BlockRequestHandler {
  private readonly bounceBuffers: Uint8Array[] = [];
  private bounceBuffersMade = 0;
  private readonly bounceWaiters: ((buffer: Uint8Array) => void)[] = [];

  constructor(
    private readonly blockExport: VectoredBlockExport,
    readonly counts: RequestCounts,
    private readonly serial: Uint8Array,
  ) {}

  /**
   * Serves the request whose readable part is `readable` and whose writable part, status byte
   * excluded, is `writable`. Never throws: an export's failure becomes VIRTIO_BLK_S_IOERR.
   */
  async serve(readable: Segment[], writable: Segment[]): Promise<RequestOutcome> {
    const fail = (status: number): RequestOutcome => {
      if (status === BlkStatus.IOERR) this.counts.errors++;
      return { status, dataWritten: 0, writtenRanges: [] };
    };
    if (totalOf(readable) < BLK_HEADER_BYTES) return fail(BlkStatus.IOERR);
    const header = new Uint8Array(BLK_HEADER_BYTES);
    gather(rangeOf(readable, 0, BLK_HEADER_BYTES), header);
    const view = new DataView(header.buffer);
    const type = view.getUint32(0, true);
    const sector = view.getBigUint64(8, true);
    const outData = rangeOf(readable, BLK_HEADER_BYTES, totalOf(readable) - BLK_HEADER_BYTES);
    try {
      switch (type) {
        case BlkType.IN:
          return await this.read(sector, writable, fail);
        case BlkType.OUT:
          return await this.write(sector, outData, fail);
        case BlkType.FLUSH:
          await this.blockExport.flush();
          this.counts.flushes++;
          return { status: BlkStatus.OK, dataWritten: 0, writtenRanges: [] };
        case BlkType.GET_ID:
          return this.identify(writable);
        case BlkType.DISCARD:
          return await this.discard(outData, fail);
        default:
          return fail(BlkStatus.UNSUPP);
      }
    } catch {
      return fail(BlkStatus.IOERR);
    }
  }

  /** The byte offset of `sector` when `length` bytes from it lie within the export, or null. */
  private offsetOf(sector: bigint, length: number): number | null {
    if (length % SECTOR_BYTES !== 0) return null;
    const size = BigInt(this.blockExport.sizeBytes);
    const offset = sector * BigInt(SECTOR_BYTES);
    if (offset > size || BigInt(length) > size - offset) return null;
    return Number(offset);
  }

  private async read(
    sector: bigint,
    writable: Segment[],
    fail: (status: number) => RequestOutcome,
  ): Promise<RequestOutcome> {
    const length = totalOf(writable);
    const offset = this.offsetOf(sector, length);
    if (offset === null) return fail(BlkStatus.IOERR);
    const views = writable.map((segment) => segment.bytes);
    const exported = this.blockExport;
    if (exported.readIntoSegments !== undefined) await exported.readIntoSegments(offset, views);
    else if (views.length === 1 && views[0] !== undefined) await this.readInto(offset, views[0]);
    else if (views.length > 1)
      await this.throughBounce(writable, async (start, bounce, pieces) => {
        await this.readInto(offset + start, bounce);
        scatter(bounce, pieces);
      });
    this.counts.reads++;
    return {
      status: BlkStatus.OK,
      dataWritten: length,
      writtenRanges: writable.map((segment) => ({
        guestAddress: segment.guestAddress,
        length: segment.bytes.length,
      })),
    };
  }

  private async readInto(offset: number, into: Uint8Array): Promise<void> {
    if (this.blockExport.readInto !== undefined) await this.blockExport.readInto(offset, into);
    else into.set(await this.blockExport.read(offset, into.length));
  }

  private async write(
    sector: bigint,
    data: Segment[],
    fail: (status: number) => RequestOutcome,
  ): Promise<RequestOutcome> {
    if (this.blockExport.readOnly) return fail(BlkStatus.IOERR);
    const length = totalOf(data);
    const offset = this.offsetOf(sector, length);
    if (offset === null) return fail(BlkStatus.IOERR);
    const views = data.map((segment) => segment.bytes);
    const exported = this.blockExport;
    if (exported.writeSegments !== undefined) await exported.writeSegments(offset, views, false);
    else if (views.length === 1 && views[0] !== undefined)
      await exported.write(offset, views[0], false);
    else if (views.length > 1)
      await this.throughBounce(data, async (start, bounce, pieces) => {
        gather(pieces, bounce);
        await exported.write(offset + start, bounce, false);
      });
    this.counts.writes++;
    return { status: BlkStatus.OK, dataWritten: 0, writtenRanges: [] };
  }

  private identify(writable: Segment[]): RequestOutcome {
    const pieces = rangeOf(writable, 0, Math.min(BLK_ID_BYTES, totalOf(writable)));
    const id = new Uint8Array(BLK_ID_BYTES);
    id.set(this.serial.subarray(0, BLK_ID_BYTES));
    return {
      status: BlkStatus.OK,
      dataWritten: scatter(id, pieces),
      writtenRanges: pieces.map((piece) => ({
        guestAddress: piece.guestAddress,
        length: piece.bytes.length,
      })),
    };
  }

  private async discard(
    data: Segment[],
    fail: (status: number) => RequestOutcome,
  ): Promise<RequestOutcome> {
    const trim = this.blockExport.trim?.bind(this.blockExport);
    if (trim === undefined) return fail(BlkStatus.UNSUPP);
    if (this.blockExport.readOnly) return fail(BlkStatus.IOERR);
    const length = totalOf(data);
    const count = length / DISCARD_SEGMENT_BYTES;
    if (!Number.isInteger(count) || count === 0 || count > MAX_DISCARD_SEGMENTS)
      return fail(BlkStatus.UNSUPP);
    const bytes = new Uint8Array(length);
    gather(data, bytes);
    const view = new DataView(bytes.buffer);
    const ranges: { offset: number; length: number }[] = [];
    for (let index = 0; index < count; index++) {
      const sector = view.getBigUint64(index * DISCARD_SEGMENT_BYTES, true);
      const sectors = view.getUint32(index * DISCARD_SEGMENT_BYTES + 8, true);
      const flags = view.getUint32(index * DISCARD_SEGMENT_BYTES + 12, true);
      // Only the unmap bit (bit 0) is defined for discard (virtio 1.2 §5.2.6).
      if (flags & ~1 || sectors > MAX_DISCARD_SECTORS) return fail(BlkStatus.UNSUPP);
      const offset = this.offsetOf(sector, sectors * SECTOR_BYTES);
      if (offset === null) return fail(BlkStatus.IOERR);
      ranges.push({ offset, length: sectors * SECTOR_BYTES });
    }
    for (const range of ranges) await trim(range.offset, range.length);
    this.counts.discards++;
    return { status: BlkStatus.OK, dataWritten: 0, writtenRanges: [] };
  }

  /**
   * Runs `step` over the request's data in chunks of at most BOUNCE_CHUNK_BYTES, each with a
   * pooled bounce buffer of the chunk's length and the pieces of guest memory it covers: a
   * request of many pieces (up to the queue size, each as long as guest memory) never makes this
   * process allocate more than a chunk.
   */
  private async throughBounce(
    segments: Segment[],
    step: (start: number, bounce: Uint8Array, pieces: Segment[]) => Promise<void>,
  ): Promise<void> {
    const length = totalOf(segments);
    const pooled = await this.takeBounceBuffer();
    try {
      for (let start = 0; start < length; start += BOUNCE_CHUNK_BYTES) {
        const size = Math.min(BOUNCE_CHUNK_BYTES, length - start);
        await step(start, pooled.subarray(0, size), rangeOf(segments, start, size));
      }
    } finally {
      const waiter = this.bounceWaiters.shift();
      if (waiter !== undefined) waiter(pooled);
      else this.bounceBuffers.push(pooled);
    }
  }

  /** A free bounce buffer, a new one while fewer than MAX_BOUNCE_BUFFERS exist, or the next freed. */
  private takeBounceBuffer(): Promise<Uint8Array> {
    const free = this.bounceBuffers.pop();
    if (free !== undefined) return Promise.resolve(free);
    if (this.bounceBuffersMade < MAX_BOUNCE_BUFFERS) {
      this.bounceBuffersMade++;
      return Promise.resolve(new Uint8Array(BOUNCE_CHUNK_BYTES));
    }
    return new Promise((resolve) => this.bounceWaiters.push(resolve));
  }
}

/** Copies the pieces' bytes, in order, into `into` from its start. */
function gather(pieces: readonly Segment[], into: Uint8Array): void {
  let at = 0;
  for (const piece of pieces) {
    into.set(piece.bytes, at);
    at += piece.bytes.length;
  }
}

/** Spreads `from`'s bytes, in order, over the pieces (as many as they hold); returns the count. */
function scatter(from: Uint8Array, pieces: readonly Segment[]): number {
  let at = 0;
  for (const piece of pieces) {
    piece.bytes.set(from.subarray(at, at + piece.bytes.length));
    at += piece.bytes.length;
  }
  return at;
}
