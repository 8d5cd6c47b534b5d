import { VhdxError } from '../errors.js';
import { BitmapState, MiB, PayloadState, SECTORS_PER_BITMAP_BLOCK } from '../format/constants.js';
import type { DiskInfo, DiskType, VirtualDisk } from '../types.js';
import { byteLengthOf, fillPieces, gatherPieces, piecesBetween } from '../util/segments.js';
import { readPiecesAt } from './payloadPieces.js';
import type { VhdxFile } from './vhdxFile.js';

/** What every read answered on the spot returns: one settled promise, shared. */
const READ_DONE: Promise<void> = Promise.resolve();

/** A disk of a chain: resolves every sector from this file or, where it has none, from the parent. */
export class OpenVirtualDisk implements VirtualDisk {
  private allocatedBytes = 0;
  private closeInstead: (() => Promise<void>) | null = null;

  private constructor(
    readonly file: VhdxFile,
    readonly parent: OpenVirtualDisk | null,
    private readonly parentPath: string | null,
    private readonly releaseParent: (() => Promise<void>) | null,
  ) {}

  /**
   * `releaseParent`, when given, runs on close instead of closing `parent` (a parent shared
   * through a `DiskCache` is released, not closed).
   */
  static async create(
    file: VhdxFile,
    parent: OpenVirtualDisk | null,
    parentPath: string | null,
    releaseParent: (() => Promise<void>) | null = null,
  ): Promise<OpenVirtualDisk> {
    const disk = new OpenVirtualDisk(file, parent, parentPath, releaseParent);
    await disk.refreshAllocation();
    return disk;
  }

  private async refreshAllocation(): Promise<void> {
    this.allocatedBytes = (await this.file.store.stat(this.file.path)).allocatedBytes;
  }

  get info(): DiskInfo {
    const m = this.file.meta;
    const type: DiskType = m.hasParent
      ? 'Differencing'
      : m.leaveBlockAllocated
        ? 'Fixed'
        : 'Dynamic';
    const linkage = m.parentLocator?.entries.find(([k]) => k === 'parent_linkage')?.[1] ?? null;
    return {
      path: this.file.path,
      type,
      virtualSize: m.virtualSize,
      blockSize: m.blockSize,
      logicalSectorSize: m.logicalSectorSize,
      physicalSectorSize: m.physicalSectorSize,
      virtualDiskId: m.virtualDiskId,
      dataWriteGuid: this.file.header.dataWriteGuid,
      fileSize: this.file.fileSize,
      allocatedBytes: this.allocatedBytes,
      parentPath: this.parentPath,
      parentLinkage: linkage,
      creator: this.file.layout.creator,
    };
  }

  private checkRange(length: number, offset: number): void {
    const size = this.file.meta.virtualSize;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > size) {
      throw new VhdxError(
        'virtual disk',
        `range ${offset}+${length} is outside the disk (${size} bytes)`,
        {
          code: 'RANGE',
        },
      );
    }
  }

  /**
   * Reads on the spot, with no promise, when the bytes lie in one place of this file or of a
   * parent, known from cached metadata alone (a block wholly in this file, or wholly a parent's
   * down to the file that holds it), and are few enough for one system call now (see
   * `VhdxFile.readAtNow`). False, having read nothing, when `read` must answer instead.
   */
  readNow(buffer: Uint8Array, offset: number): boolean {
    if (!Number.isSafeInteger(offset) || offset < 0) return false;
    const end = offset + buffer.length;
    if (end > this.file.meta.virtualSize) return false;
    const at = this.file.cachedLocation(offset, buffer.length);
    if (at >= 0) return this.file.readAtNow(buffer, at);
    const parent = this.parent;
    return (
      parent !== null &&
      end <= parent.file.meta.virtualSize &&
      this.file.cachedInParent(offset, buffer.length) &&
      parent.readNow(buffer, offset)
    );
  }

  /**
   * The common case is answered on the spot (`readNow`): it costs no promise of its own, which is
   * a measurable share of a 4 KiB read from the page cache.
   */
  read(buffer: Uint8Array, offset: number): Promise<void> {
    return this.readFor(buffer, offset, this.file.ioOnTheSpot);
  }

  /**
   * `read` for a request of this disk or of a child reading through it: `onTheSpot` when the
   * request is a served guest's (`OpenDiskOptions.servedToGuest`), so that a parent shared with
   * other users (a `DiskCache`'s) makes the guest's reads on the spot and theirs in the pool.
   */
  readFor(buffer: Uint8Array, offset: number, onTheSpot: boolean): Promise<void> {
    try {
      if (this.readNow(buffer, offset)) return READ_DONE;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.readThrough([buffer], offset, onTheSpot);
  }

  /**
   * Fills `segments` in order with the disk's bytes from `offset` (their summed length), as
   * `read` fills one buffer, straight from the files: each contiguous range of one file that the
   * read path finds (a block, a run of sectors of a partially present block, a parent's range)
   * is read with one vectored call over the matching pieces of the segments (`subarray`s, no
   * copy), and the ranges that read as zeros are filled in place. A guest's request as its
   * memory's pieces (a vhost-user-blk back end's descriptors) thus needs no bounce buffer.
   */
  readSegments(segments: readonly Uint8Array[], offset: number): Promise<void> {
    return this.readSegmentsFor(segments, offset, this.file.ioOnTheSpot);
  }

  /** `readSegments` for a request of this disk or of a child reading through it (see `readFor`). */
  readSegmentsFor(
    segments: readonly Uint8Array[],
    offset: number,
    onTheSpot: boolean,
  ): Promise<void> {
    const only = segments.length === 1 ? segments[0] : undefined;
    if (only !== undefined) return this.readFor(only, offset, onTheSpot);
    return this.readThrough(segments, offset, onTheSpot);
  }

  private async readThrough(
    dest: readonly Uint8Array[],
    offset: number,
    onTheSpot: boolean,
  ): Promise<void> {
    const length = byteLengthOf(dest);
    this.checkRange(length, offset);
    const at = this.file.cachedLocation(offset, length);
    if (at >= 0) return readPiecesAt(this.file, dest, at, onTheSpot);
    const bs = this.file.meta.blockSize;
    let done = 0;
    while (done < length) {
      const pos = offset + done;
      const block = Math.floor(pos / bs);
      const n = Math.min(length - done, (block + 1) * bs - pos);
      await this.readInBlock(piecesBetween(dest, done, done + n), pos, block, onTheSpot);
      done += n;
    }
  }

  /** The parent's bytes; beyond a smaller parent's end (this disk was grown) zeros. */
  private async fromParent(
    dest: readonly Uint8Array[],
    pos: number,
    onTheSpot: boolean,
  ): Promise<void> {
    const length = byteLengthOf(dest);
    const inParent = this.parent === null ? 0 : Math.max(0, this.parent.info.virtualSize - pos);
    if (this.parent !== null && inParent > 0) {
      const fromIt = piecesBetween(dest, 0, Math.min(length, inParent));
      await this.parent.readSegmentsFor(fromIt, pos, onTheSpot);
    }
    if (inParent < length) fillPieces(piecesBetween(dest, inParent, length), 0);
  }

  private async readInBlock(
    dest: readonly Uint8Array[],
    pos: number,
    block: number,
    onTheSpot: boolean,
  ): Promise<void> {
    const entry = await this.file.payloadEntry(block);
    const bs = this.file.meta.blockSize;
    const within = pos - block * bs;
    switch (entry.state) {
      case PayloadState.FullyPresent:
        return readPiecesAt(this.file, dest, entry.fileOffsetMB * MiB + within, onTheSpot);
      case PayloadState.NotPresent:
        if (this.file.isDifferencing) return this.fromParent(dest, pos, onTheSpot);
        fillPieces(dest, 0);
        return;
      case PayloadState.Zero:
      case PayloadState.Undefined:
      case PayloadState.Unmapped:
        fillPieces(dest, 0);
        return;
      case PayloadState.PartiallyPresent:
        if (!this.file.isDifferencing) throw this.badState(block, entry.state);
        return this.readPartial(dest, pos, entry.fileOffsetMB * MiB + within, onTheSpot);
      default:
        throw this.badState(block, entry.state);
    }
  }

  private badState(block: number, state: number): VhdxError {
    return new VhdxError(
      'BAT',
      `payload block ${block} has state ${state}, invalid in a ${this.info.type.toLowerCase()} disk`,
      {
        field: 'State',
      },
    );
  }

  /** Reads a PARTIALLY_PRESENT range: runs of sectors with bit 1 from this file, bit 0 from the parent. */
  private async readPartial(
    dest: readonly Uint8Array[],
    pos: number,
    fileOffset: number,
    onTheSpot: boolean,
  ): Promise<void> {
    const ss = this.file.meta.logicalSectorSize;
    const length = byteLengthOf(dest);
    const firstSector = Math.floor(pos / ss);
    const endSector = Math.ceil((pos + length) / ss);
    const bits = await this.file.readBitmapBits(firstSector, endSector - firstSector);
    let i = 0;
    while (i < bits.length) {
      let j = i + 1;
      while (j < bits.length && bits[j] === bits[i]) j++;
      const start = Math.max(pos, (firstSector + i) * ss);
      const end = Math.min(pos + length, (firstSector + j) * ss);
      const part = piecesBetween(dest, start - pos, end - pos);
      if (bits[i] === 1) await readPiecesAt(this.file, part, fileOffset + (start - pos), onTheSpot);
      else await this.fromParent(part, start, onTheSpot);
      i = j;
    }
  }

  /**
   * True when a write of `length` bytes at `offset` would change data alone: whole sectors that
   * this file already holds (found from cached metadata), after the session's new DataWriteGuid
   * is durable. Such writes touch neither the block table nor a sector bitmap, so they may run
   * beside reads, beside each other (on ranges that do not overlap) and beside a flush, which
   * covers them once they have resolved; every other write changes metadata and wants its turn.
   */
  writesInPlace(offset: number, length: number): boolean {
    const f = this.file;
    const ss = f.meta.logicalSectorSize;
    return (
      f.writable &&
      f.userChangeBegun &&
      length > 0 &&
      Number.isSafeInteger(offset) &&
      offset >= 0 &&
      offset % ss === 0 &&
      length % ss === 0 &&
      offset + length <= f.meta.virtualSize &&
      f.cachedLocation(offset, length) >= 0
    );
  }

  /**
   * The DataWriteGuid changes before a session's first user-visible change (MS-VHDX 2.2.2); here
   * it changes now, so that a child made of this file from then on (its `parent_linkage`) stays
   * linked whatever this session still writes.
   */
  async beginChange(): Promise<void> {
    await this.file.beginUserChange();
  }

  write(buffer: Uint8Array, offset: number): Promise<void> {
    return this.writeSegments([buffer], offset);
  }

  /**
   * Writes `segments` in order from `offset` as `write` writes their gathered bytes, with the
   * same decisions (block allocation, sector bitmaps, the block table's changes through the
   * log at the next flush); only the data goes straight from the segments to the file, one
   * vectored call per contiguous range of it. A write that does not cover whole sectors is
   * gathered first (it must be merged with the sectors' other bytes anyway).
   */
  async writeSegments(segments: readonly Uint8Array[], offset: number): Promise<void> {
    this.file.assertWritable();
    const length = byteLengthOf(segments);
    this.checkRange(length, offset);
    if (length === 0) return;
    await this.file.beginUserChange();
    const ss = this.file.meta.logicalSectorSize;
    const aligned = offset % ss === 0 && length % ss === 0;
    // The common case: whole sectors over sectors this file already holds.
    const at = this.file.cachedLocation(offset, length);
    if (at >= 0 && aligned) return this.file.writePayload(segments, at);
    let data = segments;
    const start = Math.floor(offset / ss) * ss;
    if (!aligned) {
      const end = Math.ceil((offset + length) / ss) * ss;
      const whole = new Uint8Array(end - start);
      if (start !== offset) await this.read(whole.subarray(0, ss), start);
      if (end !== offset + length) await this.read(whole.subarray(whole.length - ss), end - ss);
      whole.set(gatherPieces(segments), offset - start);
      data = [whole];
    }
    const bs = this.file.meta.blockSize;
    const total = byteLengthOf(data);
    let done = 0;
    while (done < total) {
      const pos = start + done;
      const block = Math.floor(pos / bs);
      const n = Math.min(total - done, (block + 1) * bs - pos);
      await this.writeInBlock(piecesBetween(data, done, done + n), pos, block);
      done += n;
    }
  }

  /** Writes whole sectors inside one block, allocating the block (and its sector bitmap) when needed. */
  private async writeInBlock(
    data: readonly Uint8Array[],
    pos: number,
    block: number,
  ): Promise<void> {
    const f = this.file;
    const bs = f.meta.blockSize;
    const ss = f.meta.logicalSectorSize;
    const within = pos - block * bs;
    const entry = await f.payloadEntry(block);
    if (entry.state === PayloadState.FullyPresent) {
      await f.writePayload(data, entry.fileOffsetMB * MiB + within);
      return;
    }
    const length = byteLengthOf(data);
    const firstSector = pos / ss;
    const sectors = length / ss;
    if (entry.state === PayloadState.PartiallyPresent) {
      if (!f.isDifferencing) throw this.badState(block, entry.state);
      await f.writePayload(data, entry.fileOffsetMB * MiB + within);
      await f.setBitmapBits(firstSector, sectors);
      return;
    }
    if (
      entry.state !== PayloadState.NotPresent &&
      entry.state !== PayloadState.Zero &&
      entry.state !== PayloadState.Undefined &&
      entry.state !== PayloadState.Unmapped
    ) {
      throw this.badState(block, entry.state);
    }
    const blockBytes = Math.min(bs, f.meta.virtualSize - block * bs);
    const coversBlock = within === 0 && length >= blockBytes;
    const offset = await f.allocateAtCommit(bs);
    await f.writePayload(data, offset + within);
    if (f.isDifferencing && entry.state === PayloadState.NotPresent && !coversBlock) {
      await this.ensureBitmapBlock(Math.floor(firstSector / SECTORS_PER_BITMAP_BLOCK));
      await f.setBitmapBits(firstSector, sectors);
      await f.setPayloadEntry(block, PayloadState.PartiallyPresent, offset / MiB);
    } else {
      await f.setPayloadEntry(block, PayloadState.FullyPresent, offset / MiB);
    }
  }

  /**
   * Makes `[offset, offset+length)` read as zeros (sector-aligned): whole blocks become ZERO in the
   * BAT, blocks that already read as zeros are left alone, the rest get zeros written.
   */
  async writeZeros(offset: number, length: number): Promise<void> {
    const f = this.file;
    f.assertWritable();
    this.checkRange(0, offset + length);
    const bs = f.meta.blockSize;
    const end = offset + length;
    let zeros: Uint8Array | null = null;
    for (let pos = offset; pos < end;) {
      const block = Math.floor(pos / bs);
      const blockEnd = Math.min((block + 1) * bs, f.meta.virtualSize);
      const stop = Math.min(end, blockEnd);
      const entry = await f.payloadEntry(block);
      const readsZero =
        entry.state === PayloadState.Zero ||
        entry.state === PayloadState.Undefined ||
        entry.state === PayloadState.Unmapped ||
        (entry.state === PayloadState.NotPresent && !f.isDifferencing);
      if (!readsZero) {
        await f.beginUserChange();
        if (pos === block * bs && stop === blockEnd && !f.meta.leaveBlockAllocated) {
          await f.setPayloadEntry(block, PayloadState.Zero, 0);
        } else {
          zeros ??= new Uint8Array(Math.min(bs, MiB));
          for (let at = pos; at < stop; at += zeros.length)
            await this.write(zeros.subarray(0, Math.min(zeros.length, stop - at)), at);
        }
      }
      pos = stop;
    }
  }

  private async ensureBitmapBlock(chunk: number): Promise<void> {
    const entry = await this.file.bitmapEntry(chunk);
    if (entry.state === BitmapState.Present) return;
    const offset = await this.file.allocateAtCommit(MiB);
    await this.file.setBitmapEntry(chunk, BitmapState.Present, offset / MiB);
  }

  async flush(): Promise<void> {
    if (!this.file.writable) return;
    await this.file.commit();
    await this.refreshAllocation();
  }

  /**
   * Has the next `close` run `instead` of closing: a `DiskCache` keeps open a writable disk that
   * its children still read through (see `DiskCache.open`) and closes it with `closeNow`.
   */
  closeWith(instead: () => Promise<void>): void {
    this.closeInstead = instead;
  }

  close(): Promise<void> {
    const instead = this.closeInstead;
    this.closeInstead = null;
    return instead === null ? this.closeNow() : instead();
  }

  /** Closes the file and lets go of the parent, whatever `closeWith` asked. */
  async closeNow(): Promise<void> {
    try {
      await this.file.close();
    } finally {
      if (this.releaseParent) await this.releaseParent();
      else await this.parent?.close();
    }
  }
}
