/**
 * Reading a VHDX file's structures before it is opened as a VhdxFile: its metadata region, the
 * check of every BAT entry, and reads that see the log's replayed pages.
 */
import { VhdxError } from '../errors.js';
import {
  BitmapState,
  HEADER_OFFSETS,
  HEADER_SIZE,
  MiB,
  PayloadState,
  REGION_TABLE_OFFSETS,
  REGION_TABLE_SIZE,
} from '../format/constants.js';
import { batGeometry, decodeBatEntry, type BatGeometry } from '../format/batGeometry.js';
import { chooseCurrentHeader, parseHeader, type VhdxHeader } from '../format/headers.js';
import { parseMetadataRegion, type DiskMetadata } from '../format/metadata.js';
import type { FileHandle } from '../storage/fileStore.js';
import { view } from '../util/bytes.js';
import { parseHeaderSection, type FileLayout } from './fileLayout.js';
import { replayLog, type LogOverlay } from './log.js';
import { PAGE_SIZE, type MetaPages } from './metaPages.js';
import { ZERO_GUID } from '../util/guid.js';

const PARSED_SECTION_SIZE = REGION_TABLE_OFFSETS[1] + REGION_TABLE_SIZE;

const MAX_METADATA_REGION = 32 * MiB;

export async function readMetadata(
  handle: FileHandle,
  overlay: LogOverlay | null,
  layout: FileLayout,
  fileSize: number,
): Promise<DiskMetadata> {
  const { fileOffset, length } = layout.metadata;
  // A region lies inside the file (MS-VHDX 2.2.3.2, region table entries); a truncated copy
  // would otherwise read zeros where its metadata was (issue 17).
  if (length > MAX_METADATA_REGION || fileOffset + length > fileSize) {
    throw new VhdxError(
      'metadata region',
      length > MAX_METADATA_REGION
        ? `length ${length} is larger than ${MAX_METADATA_REGION}`
        : `ends at ${fileOffset + length}, beyond the end of the file (${fileSize} bytes): the file is truncated or corrupt`,
      {
        offset: fileOffset,
        field: 'Length',
        code: length > MAX_METADATA_REGION ? 'UNSUPPORTED' : 'CORRUPT',
      },
    );
  }
  // The table (64 KiB at most: MS-VHDX 2.6.1) and the items, which follow it (this product's
  // files and Hyper-V's keep them in the first few KiB after the table): one read of the region's
  // start, a second only for items placed further in. The rest of the region is free space no
  // item refers to and is not read: a cold read of the whole 1 MiB cost several times more.
  const head = new Uint8Array(Math.min(length, METADATA_HEAD));
  await readThrough(handle, overlay, head, fileOffset);
  const itemsEnd = metadataItemsEnd(head, length);
  if (itemsEnd <= head.length) return parseMetadataRegion(head, fileOffset, length);
  const buf = new Uint8Array(itemsEnd);
  buf.set(head);
  await readThrough(handle, overlay, buf.subarray(head.length), fileOffset + head.length);
  return parseMetadataRegion(buf, fileOffset, length);
}

/** What a metadata region's first read covers: the 64 KiB table and the items that follow it. */
const METADATA_HEAD = 128 * 1024;

/**
 * Where the last item named by the metadata table in `head` ends, within a region of `length`
 * bytes (`parseMetadataRegion` refuses items outside it); `head.length` for a table it refuses.
 */
function metadataItemsEnd(head: Uint8Array, length: number): number {
  if (head.length < 64 * 1024) return head.length;
  const dv = view(head);
  const count = dv.getUint16(10, true);
  let end = head.length;
  for (let i = 0; i < count && 32 + i * 32 + 24 <= head.length; i++) {
    const at = 32 + i * 32;
    const itemEnd = dv.getUint32(at + 16, true) + dv.getUint32(at + 20, true);
    if (itemEnd <= length) end = Math.max(end, itemEnd);
  }
  return end;
}

/** What the BAT check reads of an opened file (a VhdxFile). */
export interface BatCheckedFile {
  readonly geometry: BatGeometry;
  readonly layout: FileLayout;
  readonly meta: DiskMetadata;
  readonly fileSize: number;
  /** The file's metadata pages: the BAT is read through them, and its pages are kept. */
  readonly pages: Pick<MetaPages, 'readRange'>;
  checkBlockOffset(fileOffsetMB: number, entryAt: number, length: number): void;
}

/**
 * Reads the whole BAT once (in 1 MiB pieces of whole pages, kept as the file's cached pages, so
 * that the entries read later need no read of their own) and refuses invalid states and present blocks that
 * lie beyond the end of the file, inside the header section, the log or a region, or over each
 * other. Memory is bounded by the file size: every kept entry owns at least 1 MiB of the file.
 */
export async function checkBatEntries(file: BatCheckedFile): Promise<void> {
  const { geometry, layout, meta } = file;
  const batAt = layout.bat.fileOffset;
  const spans: { start: number; end: number; at: number }[] = [];
  // The region is a whole number of MiB (MS-VHDX 2.2.3.2) and holds every entry (readStructures).
  const piece = new Uint8Array(Math.min(MiB, wholePages(geometry.entryCount * 8)));
  const chunkEntries = geometry.chunkRatio + 1;
  for (let first = 0; first < geometry.entryCount; first += piece.length / 8) {
    const n = Math.min(piece.length / 8, geometry.entryCount - first);
    const pages = piece.subarray(0, wholePages(n * 8));
    await file.pages.readRange(pages, batAt + first * 8);
    const buf = pages.subarray(0, n * 8);
    const dv = view(buf);
    // Most entries of a large, young disk are all zero (NOT_PRESENT): skip them cheaply.
    const words = new Uint32Array(buf.buffer, buf.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      if (words[i * 2] === 0 && words[i * 2 + 1] === 0) continue;
      const index = first + i;
      const entry = decodeBatEntry(dv, i * 8);
      if (entry.state === PayloadState.NotPresent) continue;
      const at = batAt + index * 8;
      const isBitmap = index % chunkEntries === geometry.chunkRatio;
      const fail = (why: string, field = 'State'): VhdxError =>
        new VhdxError('BAT', `entry ${index} ${why}`, { offset: at, field });
      let length: number;
      if (isBitmap) {
        if (entry.state !== BitmapState.Present)
          throw fail(`has invalid sector-bitmap state ${entry.state}`);
        if (!meta.hasParent) throw fail('is a present sector bitmap in a disk without a parent');
        length = MiB;
      } else {
        const present =
          entry.state === PayloadState.FullyPresent ||
          entry.state === PayloadState.PartiallyPresent;
        if (entry.state > PayloadState.Unmapped && !present)
          throw fail(`has invalid payload state ${entry.state}`);
        if (entry.state === PayloadState.PartiallyPresent && !meta.hasParent)
          throw fail('is PARTIALLY_PRESENT in a disk without a parent');
        if (!present) continue;
        length = meta.blockSize;
      }
      file.checkBlockOffset(entry.fileOffsetMB, at, length);
      const start = entry.fileOffsetMB * MiB;
      spans.push({ start, end: start + length, at });
      if (spans.length > file.fileSize / MiB + 1)
        throw fail('makes the BAT claim more blocks than the file holds', 'FileOffsetMB');
    }
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1];
    const cur = spans[i];
    if (prev && cur && cur.start < prev.end) {
      throw new VhdxError(
        'BAT',
        `entry at ${cur.at} points at ${cur.start}, inside the block of the entry at ${prev.at}`,
        { offset: cur.at, field: 'FileOffsetMB' },
      );
    }
  }
}

const wholePages = (bytes: number): number => Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE;

/** The BAT's first pages, read beside the metadata at an open (see `readStructures`). */
const BAT_HEAD = 64 * 1024;

export async function readThrough(
  handle: FileHandle,
  overlay: LogOverlay | null,
  buf: Uint8Array,
  pos: number,
): Promise<void> {
  const n = await handle.read(buf, pos);
  if (n < buf.length) buf.fill(0, n);
  overlay?.apply(buf, pos);
}

/**
 * A file's identifier, headers (replaying the log), region tables and metadata, and the BAT's
 * geometry, checked against its region: what opening it reads before any block.
 */
export async function readStructures(
  handle: FileHandle,
  writable: boolean,
  { withBatHead = false }: { withBatHead?: boolean } = {},
): Promise<{
  layout: FileLayout;
  overlay: LogOverlay | null;
  fileSize: number;
  meta: DiskMetadata;
  geometry: BatGeometry;
  /** With `withBatHead`: the BAT's first pages (up to 64 KiB), from its region's offset. */
  batHead: Uint8Array | null;
}> {
  let fileSize = await handle.size();
  // Identifier, both headers and both region tables: the first 320 KiB of the header section.
  const section = new Uint8Array(PARSED_SECTION_SIZE);
  await handle.read(section, 0);
  let layout = parseHeaderSection(section);
  let overlay: LogOverlay | null = null;
  if (layout.header.logGuid !== ZERO_GUID) {
    const replay = await replayLog(handle, layout, fileSize, writable);
    overlay = replay.overlay;
    fileSize = replay.fileSize;
    if (replay.sectionChanged) {
      const again = new Uint8Array(PARSED_SECTION_SIZE);
      await readThrough(handle, overlay, again, 0);
      layout = {
        ...parseHeaderSection(again),
        header: layout.header,
        headerSlot: layout.headerSlot,
      };
    }
  }
  // The BAT's place is known from the region table, its length only from the metadata: its first
  // pages (every entry of a disk up to 256 GiB with 32 MiB blocks) are read at the same time as
  // the metadata, so that from a cold page cache the two reads wait for the disk together.
  const batHeadLength = Math.min(
    layout.bat.length,
    BAT_HEAD,
    Math.max(0, fileSize - layout.bat.fileOffset),
  );
  const batHeadRead =
    withBatHead && batHeadLength >= PAGE_SIZE
      ? (async () => {
          const head = new Uint8Array(batHeadLength - (batHeadLength % PAGE_SIZE));
          await readThrough(handle, overlay, head, layout.bat.fileOffset);
          return head;
        })()
      : Promise.resolve(null);
  const [metaRead, batRead] = await Promise.allSettled([
    readMetadata(handle, overlay, layout, fileSize),
    batHeadRead,
  ]);
  if (metaRead.status === 'rejected') throw metaRead.reason;
  const meta = metaRead.value;
  const batHead = batRead.status === 'fulfilled' ? batRead.value : null;
  const geometry = batGeometry(
    meta.virtualSize,
    meta.blockSize,
    meta.logicalSectorSize,
    meta.hasParent,
  );
  if (geometry.entryCount * 8 > layout.bat.length) {
    throw new VhdxError(
      'BAT',
      `region length ${layout.bat.length} cannot hold ${geometry.entryCount} entries`,
      {
        offset: layout.bat.fileOffset,
      },
    );
  }
  // The entries the disk uses must be in the file: a copy cut off before or inside its BAT (or a
  // BAT region placed past the end) opened as an all-zero disk before (issue 17).
  const batEnd = layout.bat.fileOffset + geometry.entryCount * 8;
  if (batEnd > fileSize) {
    throw new VhdxError(
      'BAT',
      `region ends at ${batEnd}, beyond the end of the file (${fileSize} bytes): the file is truncated or corrupt`,
      { offset: layout.bat.fileOffset, field: 'FileOffset' },
    );
  }
  return { layout, overlay, fileSize, meta, geometry, batHead };
}

/**
 * True when the file's current header is still `mine` (no writer opened the file since: every
 * writable open gives it a new FileWriteGuid and sequence number).
 */
export async function currentHeaderIs(handle: FileHandle, mine: VhdxHeader): Promise<boolean> {
  try {
    const buf = new Uint8Array(HEADER_OFFSETS[1] + HEADER_SIZE - HEADER_OFFSETS[0]);
    await handle.read(buf, HEADER_OFFSETS[0]);
    const second = HEADER_OFFSETS[1] - HEADER_OFFSETS[0];
    const { header } = chooseCurrentHeader(
      parseHeader(buf.subarray(0, HEADER_SIZE)),
      parseHeader(buf.subarray(second, second + HEADER_SIZE)),
    );
    return (
      header.sequenceNumber === mine.sequenceNumber &&
      header.fileWriteGuid === mine.fileWriteGuid &&
      header.dataWriteGuid === mine.dataWriteGuid &&
      header.logGuid === mine.logGuid
    );
  } catch {
    return false;
  }
}
