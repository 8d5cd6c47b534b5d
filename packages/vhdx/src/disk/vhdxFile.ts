import { VhdxError } from '../errors.js';
import { BitmapState, HEADER_OFFSETS, MiB, PayloadState } from '../format/constants.js';
import {
  bitmapEntryIndex,
  decodeBatEntry,
  encodeBatEntry,
  payloadEntryIndex,
  type BatEntry,
  type BatGeometry,
} from '../format/batGeometry.js';
import { serializeHeader, type VhdxHeader } from '../format/headers.js';
import type { DiskMetadata } from '../format/metadata.js';
import { ON_THE_SPOT_MAX_BYTES, type FileHandle, type FileStore } from '../storage/fileStore.js';
import { writePieces } from '../storage/vectoredIo.js';
import { view } from '../util/bytes.js';
import { byteLengthOf } from '../util/segments.js';
import { newGuid, ZERO_GUID } from '../util/guid.js';
import { overlapsStructures, type FileLayout } from './fileLayout.js';
import { writeLogEntries, type LogOverlay } from './log.js';
import { MetaPages } from './metaPages.js';
import { metadataEdits, stageMetadataEdits } from './metadataEdits.js';
import {
  checkBatEntries,
  currentHeaderIs,
  readMetadata,
  readStructures,
} from './vhdxFileStructures.js';
import { BlockPlaces, cachedInParent, cachedLocation } from './blockLocation.js';
import { bitmapAllSet, readBitmapBits, setBitmapBits } from './sectorBitmap.js';

/** Reads up to this size may be made on the spot (`readAtNow`). */
const SMALL_READ = 64 * 1024;

/** One open VHDX/AVHDX file: its structures, cached BAT and bitmap pages, and its session state. */
export class VhdxFile {
  private dataGuidChanged = false;
  /** The session's new DataWriteGuid is durable (see `beginUserChange`). */
  private dataGuidDurable = false;
  private logSequence = 1n;
  private closed = false;
  /** Opened for its identity and metadata only: its BAT was not checked, so nothing reads through it. */
  private metadataOnly = false;
  readonly pages: MetaPages;
  /** Where each block's data is, learnt from the cached pages (see `blockLocation.ts`). */
  readonly places: BlockPlaces;
  private structuresEndsAt = 0;
  /** Writes started and finished, each counted at both ends (see `syncFile`). */
  private writesStarted = 0;
  /** `writesStarted` when the last flush began: what that flush made durable. */
  private writesFlushed = 0;
  /** The second header slot of the last update is written but not yet flushed. */
  private secondSlotPending = false;
  /** The last log entry's in-place writes are not yet flushed (the entry itself is). */
  private logApplyPending = false;
  /** This writable session's new FileWriteGuid is in the header (see `startSession`). */
  private sessionStarted = false;
  /** Areas were allocated past the file's end on disk: the next commit extends the file to them. */
  private extensionPending = false;

  private constructor(
    readonly store: FileStore,
    readonly path: string,
    readonly handle: FileHandle,
    private writableNow: boolean,
    public layout: FileLayout,
    public meta: DiskMetadata,
    readonly geometry: BatGeometry,
    public fileSize: number,
    overlay: LogOverlay | null,
    readonly ioOnTheSpot: boolean,
  ) {
    this.pages = new MetaPages((buf, pos) => {
      if (this.metadataOnly)
        throw new Error(`${this.path} was opened for its metadata only; its data cannot be read`);
      return this.readAt(buf, pos);
    }, overlay);
    this.measureStructures();
    this.places = new BlockPlaces(geometry.dataBlocks);
  }

  private measureStructures(): void {
    const { regions, header } = this.layout;
    this.structuresEndsAt = Math.max(
      header.logOffset + header.logLength,
      ...regions.map((r) => r.fileOffset + r.length),
    );
  }

  /**
   * Opens a file: headers (replaying the log), regions and metadata, then the whole BAT is checked.
   * `metadataOnly` (read-only) skips the BAT: for the identity and sizes of a disk (a new child's
   * parent, the description of a file just written), whose cost must not grow with the disk size.
   * `ioOnTheSpot`: the file of a disk served to a guest (`OpenDiskOptions.servedToGuest`).
   */
  static async open(
    store: FileStore,
    path: string,
    writable: boolean,
    options: { metadataOnly?: boolean; ioOnTheSpot?: boolean } = {},
  ): Promise<VhdxFile> {
    if (options.metadataOnly === true && writable)
      throw new Error('a file opened for its metadata only is read-only');
    const ioOnTheSpot = options.ioOnTheSpot === true;
    const handle = await store.open(path, writable ? 'r+' : 'r', { ioOnTheSpot });
    try {
      const metadataOnly = options.metadataOnly === true;
      const read = await readStructures(handle, writable, { withBatHead: !metadataOnly });
      const file = new VhdxFile(
        store,
        path,
        handle,
        writable,
        read.layout,
        read.meta,
        read.geometry,
        read.fileSize,
        read.overlay,
        ioOnTheSpot,
      );
      if (read.batHead !== null) file.pages.adopt(read.layout.bat.fileOffset, read.batHead);
      if (metadataOnly) file.metadataOnly = true;
      else await checkBatEntries(file);
      // A replayed log is closed at once; otherwise the session starts with the first change.
      if (writable && file.layout.header.logGuid !== ZERO_GUID)
        await file.updateHeader({ logGuid: ZERO_GUID });
      return file;
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /**
   * True when the file's current header is still the one this object parsed (no writer opened the
   * file since: every writable open gives it a new FileWriteGuid and sequence number).
   */
  async headerUnchanged(): Promise<boolean> {
    return currentHeaderIs(this.handle, this.layout.header);
  }

  /** Where the last structure (header section, log, regions) ends: blocks after it need no overlap check. */
  get structuresEnd(): number {
    return this.structuresEndsAt;
  }

  /** Open for writing, until `endWrites` or `close`. */
  get writable(): boolean {
    return this.writableNow;
  }

  get header(): VhdxHeader {
    return this.layout.header;
  }

  get isDifferencing(): boolean {
    return this.meta.hasParent;
  }

  /**
   * `readAt` on the spot when the store can read small ranges synchronously (see
   * `FileHandle.readNow`); false, having read nothing, when it cannot.
   */
  readAtNow(buf: Uint8Array, pos: number): boolean {
    if (buf.length > SMALL_READ || this.handle.readNow === undefined) return false;
    const n = this.handle.readNow(buf, pos);
    if (n < buf.length) buf.fill(0, n);
    this.pages.overlay?.apply(buf, pos);
    return true;
  }

  /** `onTheSpot`: a served guest's read (`OpenDiskOptions.servedToGuest`), even in a parent. */
  async readAt(buf: Uint8Array, pos: number, onTheSpot = false): Promise<void> {
    const { handle } = this;
    const n =
      onTheSpot && buf.length <= ON_THE_SPOT_MAX_BYTES && handle.readNow !== undefined
        ? handle.readNow(buf, pos)
        : await handle.read(buf, pos);
    if (n < buf.length) buf.fill(0, n);
    this.pages.overlay?.apply(buf, pos);
  }

  /**
   * MS-VHDX 2.2.2.1: the header with SequenceNumber + 1 goes over the slot not known to be durable,
   * and a flush makes it current; then the other slot gets it too (+1 again, the spec's SHOULD),
   * made durable by the file's next flush rather than one of its own. Until that flush, the next
   * update writes over that same pending slot, never over the durable one, so that at every
   * instant one slot holds a valid, durable header. `close` flushes a pending slot: files at rest
   * have two valid headers, as Hyper-V's do (the behaviour spec, vhdx-format.md 1.4), and the next
   * session, which knows nothing of this one's pending slot, never writes over the only durable one.
   */
  async updateHeader(changes: Partial<VhdxHeader>): Promise<void> {
    // The session's first header update carries its new FileWriteGuid (see `startSession`).
    const session = this.sessionStarted ? {} : { fileWriteGuid: newGuid() };
    this.sessionStarted = true;
    const current = this.layout.headerSlot;
    const first = this.secondSlotPending ? current : current === 0 ? 1 : 0;
    const second = first === 0 ? 1 : 0;
    const header = {
      ...this.layout.header,
      ...session,
      ...changes,
      sequenceNumber: this.layout.header.sequenceNumber + 1n,
    };
    await this.handle.write(serializeHeader(header), HEADER_OFFSETS[first]);
    await this.syncFile();
    const again = { ...header, sequenceNumber: header.sequenceNumber + 1n };
    await this.handle.write(serializeHeader(again), HEADER_OFFSETS[second]);
    this.secondSlotPending = true;
    this.layout = { ...this.layout, header: again, headerSlot: second };
    this.measureStructures();
  }

  /**
   * Flushes the file; every write finished before it began is then durable. A write counts twice
   * (when it starts and when it ends), so that one still under way when the flush began keeps
   * the file unflushed.
   */
  private async syncFile(): Promise<void> {
    const writes = this.writesStarted;
    await this.handle.sync();
    this.writesFlushed = writes;
    this.secondSlotPending = false;
    this.logApplyPending = false;
  }

  /** True when data, a BAT change or a log entry's in-place writes may not be durable yet. */
  private get unflushed(): boolean {
    return this.writesStarted !== this.writesFlushed || this.logApplyPending;
  }

  /**
   * Tells the file of data that reached it past `writePayload` (a block cloned or copied into it
   * by the kernel), so that the next `commit` flushes it before the BAT change that points at it.
   */
  noteWrite(): void {
    this.writesStarted += 2;
  }

  /** Gives the file a new DataWriteGuid once per session, before its first user-visible change. */
  async beginUserChange(): Promise<void> {
    this.assertWritable();
    if (this.dataGuidChanged) return;
    this.dataGuidChanged = true;
    await this.updateHeader({ dataWriteGuid: newGuid() });
    this.dataGuidDurable = true;
  }

  /**
   * True once this session's first user-visible change has its new DataWriteGuid durable: from
   * then on a write of data alone needs nothing else first (see `OpenVirtualDisk.writesInPlace`).
   */
  get userChangeBegun(): boolean {
    return this.dataGuidDurable;
  }

  /**
   * Sets the DataWriteGuid to a chosen value (a merge announces it in the children's
   * `parent_linkage2` first); later writes of this session keep it.
   */
  async setDataWriteGuid(guid: string): Promise<void> {
    this.assertWritable();
    this.dataGuidChanged = true;
    if (this.layout.header.dataWriteGuid !== guid) await this.updateHeader({ dataWriteGuid: guid });
    this.dataGuidDurable = true;
  }

  /**
   * Replaces (or adds) metadata items in one log entry, so that a torn update leaves either the
   * old or the new items. An item is rewritten in place when the new data fits in its old slot,
   * otherwise it goes to free space after the last item; its table entry changes in the same entry.
   */
  async replaceMetadataItems(
    updates: { itemId: string; isUser: boolean; data: Uint8Array; flags: number }[],
  ): Promise<void> {
    this.assertWritable();
    const edits = metadataEdits(this.meta.items, this.layout.metadata, updates);
    await stageMetadataEdits(this.pages, this.layout, edits);
    await this.commit();
    this.meta = await readMetadata(this.handle, this.pages.overlay, this.layout, this.fileSize);
    this.places.forgetAll();
  }

  assertWritable(): void {
    if (this.closed) throw new VhdxError('disk', `${this.path} is closed`, { code: 'CLOSED' });
    if (!this.writable)
      throw new VhdxError('disk', `${this.path} is open read-only`, { code: 'READ_ONLY' });
  }

  async payloadEntry(block: number): Promise<BatEntry> {
    return this.batEntry(payloadEntryIndex(this.geometry, block));
  }

  async bitmapEntry(chunk: number): Promise<BatEntry> {
    return this.batEntry(bitmapEntryIndex(this.geometry, chunk));
  }

  private async batEntry(index: number): Promise<BatEntry> {
    const at = this.layout.bat.fileOffset + index * 8;
    const page = this.pages.peek(at) ?? (await this.pages.get(at));
    const entry = decodeBatEntry(view(page), at % 4096);
    const present =
      entry.state === PayloadState.FullyPresent || entry.state === PayloadState.PartiallyPresent;
    if (present) this.checkBlockOffset(entry.fileOffsetMB, at, this.meta.blockSize);
    return entry;
  }

  /** Refuses an offset that points into the header section, a region or the log, or beyond end of file. */
  checkBlockOffset(fileOffsetMB: number, entryOffset: number, length: number): void {
    const start = fileOffsetMB * MiB;
    if (start >= this.structuresEnd && start < this.fileSize) return;
    if (overlapsStructures(this.layout, start, length) || start >= this.fileSize) {
      throw new VhdxError(
        'BAT',
        `entry points at ${start}, which is ${start >= this.fileSize ? 'beyond the end of the file' : 'inside the header, log or a region'}`,
        { offset: entryOffset, field: 'FileOffsetMB' },
      );
    }
  }

  async setPayloadEntry(block: number, state: number, fileOffsetMB: number): Promise<void> {
    this.places.forget(block);
    await this.setBatEntry(payloadEntryIndex(this.geometry, block), state, fileOffsetMB);
  }

  async setBitmapEntry(chunk: number, state: number, fileOffsetMB: number): Promise<void> {
    this.places.forgetAll();
    await this.setBatEntry(bitmapEntryIndex(this.geometry, chunk), state, fileOffsetMB);
  }

  private async setBatEntry(index: number, state: number, fileOffsetMB: number): Promise<void> {
    const at = this.layout.bat.fileOffset + index * 8;
    const page = await this.pages.get(at);
    encodeBatEntry(view(page), at % 4096, state, fileOffsetMB);
    this.pages.markDirty(at);
  }

  /** Where `[pos, pos+length)` lies in this file when known without reading (see `blockLocation.ts`); -1 otherwise. */
  cachedLocation(pos: number, length: number): number {
    return cachedLocation(this, pos, length);
  }

  /** True when `[pos, pos+length)` is known, without reading, to be wholly the parent's (see `blockLocation.ts`). */
  cachedInParent(pos: number, length: number): boolean {
    return cachedInParent(this, pos, length);
  }

  /** The sector-bitmap block of a chunk, which must be SB_BLOCK_PRESENT. */
  async bitmapOffset(chunk: number): Promise<number> {
    const entry = await this.bitmapEntry(chunk);
    const at = this.layout.bat.fileOffset + bitmapEntryIndex(this.geometry, chunk) * 8;
    if (entry.state !== BitmapState.Present) {
      throw new VhdxError(
        'BAT',
        `sector bitmap of chunk ${chunk} is not present but a block in it is partially present`,
        { offset: at, field: 'State' },
      );
    }
    this.checkBlockOffset(entry.fileOffsetMB, at, MiB);
    return entry.fileOffsetMB * MiB;
  }

  /** Bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk). */
  readBitmapBits(firstSector: number, count: number): Promise<Uint8Array> {
    return readBitmapBits(this, firstSector, count);
  }

  /** True when the bitmap bits of `count` sectors from `firstSector` (all in one chunk) are all 1. */
  bitmapAllSet(firstSector: number, count: number): Promise<boolean> {
    return bitmapAllSet(this, firstSector, count);
  }

  /** Sets the bitmap bits of `count` sectors from virtual sector `firstSector` (all in one chunk). */
  setBitmapBits(firstSector: number, count: number): Promise<void> {
    this.places.forget(
      Math.floor((firstSector * this.meta.logicalSectorSize) / this.meta.blockSize),
    );
    return setBitmapBits(this, firstSector, count);
  }

  /**
   * MS-VHDX 2.2.2: a writable open gives the file a new FileWriteGuid before the first change to
   * it. That header update is made with the session's first change, not at the open: when that
   * change is itself a header update (a new DataWriteGuid before data, a LogGuid before a log
   * entry), one flush does for both, and a session that changes nothing writes nothing.
   */
  async startSession(): Promise<void> {
    this.assertWritable();
    if (!this.sessionStarted) await this.updateHeader({});
  }

  /** Appends a zero-filled, 1 MiB-aligned area at the end of the file and returns its offset. */
  async allocate(length: number): Promise<number> {
    const start = await this.allocateAtCommit(length);
    await this.extendToAllocated();
    return start;
  }

  /**
   * Allocates as `allocate` does, but leaves the file's size on disk as it is until the next
   * commit, which sets it before the flush that precedes the log entry naming the area: so no
   * BAT entry that reaches the disk points past the file's end, and a sequential writer costs
   * one size change per flush instead of one per block (each a metadata update of the file
   * system). Meanwhile the area reads as zeros (past the end, or a hole) and its writes extend
   * the file as they land.
   */
  async allocateAtCommit(length: number): Promise<number> {
    if (!this.sessionStarted) await this.startSession();
    const start = Math.max(Math.ceil(this.fileSize / MiB) * MiB, 4 * MiB);
    this.fileSize = start + length;
    this.extensionPending = true;
    return start;
  }

  /** Sets the file's size on disk to the areas `allocateAtCommit` gave out. */
  private async extendToAllocated(): Promise<void> {
    if (!this.extensionPending) return;
    this.extensionPending = false;
    this.writesStarted += 1;
    await this.handle.truncate(this.fileSize);
    this.writesStarted += 1;
  }

  /** Pieces are written in order as one range, with one vectored call (`writePieces`). */
  async writePayload(data: Uint8Array | readonly Uint8Array[], fileOffset: number): Promise<void> {
    if (!this.sessionStarted) await this.startSession();
    const pieces = data instanceof Uint8Array ? [data] : data;
    this.fileSize = Math.max(this.fileSize, fileOffset + byteLengthOf(pieces));
    this.writesStarted += 1;
    await writePieces(this.handle, pieces, fileOffset);
    this.writesStarted += 1;
  }

  /**
   * Makes data durable, then the BAT and bitmap changes (through the log: MS-VHDX 2.3). The
   * flush before the log entry is skipped when nothing was written since the last one; the
   * entry's in-place writes are made durable by the next flush (before the next entry overwrites
   * the log, or the log is closed): until then a crash replays the entry.
   */
  async commit(): Promise<void> {
    if (!this.writable || this.closed) return;
    await this.extendToAllocated();
    const dirty = this.pages.takeDirty();
    // A first entry needs a LogGuid (MS-VHDX 2.3): that header update's flush makes the data
    // written before it durable too, so it stands in for the data's own flush. A crash after it
    // leaves a LogGuid with no entry yet, as a crash between the two flushes did.
    if (dirty.length > 0 && this.layout.header.logGuid === ZERO_GUID)
      await this.updateHeader({ logGuid: newGuid() });
    else if (this.unflushed) await this.syncFile();
    if (dirty.length === 0) return;
    this.logSequence = await writeLogEntries(
      this.handle,
      this.layout,
      dirty,
      this.logSequence,
      this.fileSize,
    );
    // The entry's flush made every earlier write durable, the header slot too.
    this.secondSlotPending = false;
    this.logApplyPending = true;
  }

  /**
   * Closes a file that is about to be deleted (a merged child) without bringing it to rest: its
   * last log entry's in-place writes are not flushed, and the log is not closed. Until the file is
   * deleted, a crash leaves it as a crash during the session would: every open replays the
   * entry first (MS-VHDX 2.3), in memory when read-only. What was not committed is dropped.
   */
  async closeForDeletion(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.endWrites();
    } finally {
      this.closed = true;
      await this.handle.close();
    }
  }

  /**
   * Brings a writable file to rest as `close` does (everything durable, the log closed: MS-VHDX
   * 2.3, both header slots valid) and keeps it open, read-only from then on: a `DiskCache` does
   * so for a disk its children still read through once its writer is done with it.
   */
  async endWrites(): Promise<void> {
    if (!this.writableNow || this.closed) return;
    await this.commit();
    if (this.layout.header.logGuid !== ZERO_GUID) {
      if (this.unflushed) await this.syncFile();
      await this.updateHeader({ logGuid: ZERO_GUID });
    }
    if (this.secondSlotPending || this.unflushed) await this.syncFile();
    this.writableNow = false;
  }
}
