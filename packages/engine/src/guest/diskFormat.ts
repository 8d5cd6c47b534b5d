/**
 * The on-disk layout of a simulated guest (our own format), written through the disk library on
 * the VM's real disk. All integers are little-endian; every structure ends with a CRC-32 of the
 * bytes before it.
 *
 *   offset 0          partition table: an MBR (generation 1) or a protective MBR and a GPT with
 *                     its backup at the disk's end (generation 2); one partition from 1 MiB
 *                     (partitionTable.ts)
 *   1 MiB             boot record, 4 KiB: "HVMBOOT\0", u32 version 1, u32 JSON length, JSON
 *                     `{ image, os, app, installedAt }` (the operating system's identity)
 *   1 MiB + 4 KiB     volume state, 4 KiB: "HVMVOL\0\0", u32 version, u32 state (0 clean:
 *                     unmounted or frozen with every buffer flushed; 1 mounted, buffers pending),
 *                     u32 mount count
 *   1 MiB + 64 KiB    database file:
 *     header, 4 KiB:  "HVMDB\0\0\0", u32 version, u32 page size, u32 page count, u32 log slots,
 *                     u32 state (0 closed cleanly / quiesced by its VSS writer, 1 open),
 *                     u32 flags (bit 0: image taken by a VSS backup; bit 1: I/O frozen by the
 *                     application's VSS writer, the database open and in need of recovery),
 *                     u64 checkpoint LSN (every page holds every transaction up to it),
 *                     u64 invocation (the database instance; a domain controller's invocation ID),
 *                     16 bytes at 48: the VM-Generation ID the database last saw (a domain
 *                     controller's msDS-GenerationId; all zero: none cached)
 *     pages:          `DB_PAGES` × 4 KiB: "HVMPAGE\0", u32 page number, u32 0, u64 LSN of the
 *                     last transaction applied, f64 value (the sum of the deltas applied)
 *     commit log:     `LOG_SLOTS` records of 64 bytes, record n in slot n mod LOG_SLOTS:
 *                     "LOGR", u32 kind (1 commit; 2 begin: a transaction in flight when the
 *                     VSS writer froze I/O, which recovery rolls back), u64 LSN (= transaction
 *                     ID = USN), u32 page, u32 0, f64 delta (0 for a begin record)
 *
 * Transaction n adds n to page (n × 7) mod DB_PAGES. Every committed transaction 1..n has thus
 * added n(n+1)/2 over all pages: the checker uses that sum to prove that a database holds exactly
 * the committed transactions, none partially.
 */

export const SECTOR = 512;
export const BLOCK = 4096;
export const PARTITION_OFFSET = 1024 * 1024;
export const BOOT_OFFSET = PARTITION_OFFSET;
export const VOLUME_OFFSET = PARTITION_OFFSET + BLOCK;
export const DB_OFFSET = PARTITION_OFFSET + 64 * 1024;
export const DB_PAGES = 16;
export const LOG_SLOTS = 256;
export const LOG_RECORD = 64;
export const LOG_OFFSET = DB_OFFSET + (1 + DB_PAGES) * BLOCK;
export const LAYOUT_END = LOG_OFFSET + LOG_SLOTS * LOG_RECORD;

export const pageOffset = (page: number): number => DB_OFFSET + (1 + page) * BLOCK;
export const logOffset = (lsn: number): number => LOG_OFFSET + (lsn % LOG_SLOTS) * LOG_RECORD;
/** The page transaction `lsn` updates. */
export const pageOfTxn = (lsn: number): number => (lsn * 7) % DB_PAGES;
/** What all pages hold together once transactions 1..n are applied. */
export const sumThrough = (n: number): number => (n * (n + 1)) / 2;

const FLAG_BACKUP = 1;
const FLAG_WRITER_FROZEN = 2;
const LOG_COMMIT = 1;
const LOG_BEGIN = 2;

export interface BootRecord {
  image: string;
  os: string;
  app: string;
  installedAt: string;
}

export interface VolumeState {
  clean: boolean;
  mountCount: number;
}

export interface DbHeader {
  open: boolean;
  /** Taken by a VSS backup (a domain controller restored from it takes a new invocation ID). */
  backupImage: boolean;
  checkpointLsn: number;
  invocation: number;
  /**
   * The application's VSS writer froze I/O with the database open (SQL Server's writer: "freeze
   * all the database I/O's"): the image needs recovery, which rolls back what was in flight.
   * Absent (false) in headers written before the flag.
   */
  writerFrozen?: boolean;
  /** The VM-Generation ID the database last saw (a domain controller's msDS-GenerationId), or null. */
  generationId?: string | null;
}

export interface DbPage {
  lsn: number;
  value: number;
}

export interface LogRecord {
  lsn: number;
  page: number;
  delta: number;
  /** A begin record stands for a transaction in flight at a VSS freeze; absent: a commit. */
  begin?: boolean;
}

let table: Uint32Array | null = null;
export function crc32(bytes: Uint8Array): number {
  if (table === null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function seal(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(
    bytes.length - 4,
    crc32(bytes.subarray(0, bytes.length - 4)),
    true,
  );
  return bytes;
}

function sealed(bytes: Uint8Array, magic: string): DataView | null {
  if (decoder.decode(bytes.subarray(0, magic.length)) !== magic) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(bytes.length - 4, true) !== crc32(bytes.subarray(0, bytes.length - 4)))
    return null;
  return view;
}

export function encodeBootRecord(record: BootRecord): Uint8Array {
  const bytes = new Uint8Array(BLOCK);
  const view = new DataView(bytes.buffer);
  const json = encoder.encode(JSON.stringify(record));
  bytes.set(encoder.encode('HVMBOOT\0'), 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, json.length, true);
  bytes.set(json.subarray(0, BLOCK - 20), 16);
  return seal(bytes);
}

export function decodeBootRecord(bytes: Uint8Array): BootRecord | null {
  const view = sealed(bytes, 'HVMBOOT\0');
  if (view === null) return null;
  try {
    return JSON.parse(
      decoder.decode(bytes.subarray(16, 16 + view.getUint32(12, true))),
    ) as BootRecord;
  } catch {
    return null;
  }
}

export function encodeVolume(state: VolumeState): Uint8Array {
  const bytes = new Uint8Array(BLOCK);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode('HVMVOL\0\0'), 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, state.clean ? 0 : 1, true);
  view.setUint32(16, state.mountCount, true);
  return seal(bytes);
}

export function decodeVolume(bytes: Uint8Array): VolumeState | null {
  const view = sealed(bytes, 'HVMVOL\0\0');
  if (view === null) return null;
  return { clean: view.getUint32(12, true) === 0, mountCount: view.getUint32(16, true) };
}

export function encodeDbHeader(header: DbHeader): Uint8Array {
  const bytes = new Uint8Array(BLOCK);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode('HVMDB\0\0\0'), 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, BLOCK, true);
  view.setUint32(16, DB_PAGES, true);
  view.setUint32(20, LOG_SLOTS, true);
  view.setUint32(24, header.open ? 1 : 0, true);
  const flags =
    (header.backupImage ? FLAG_BACKUP : 0) |
    (header.writerFrozen === true ? FLAG_WRITER_FROZEN : 0);
  view.setUint32(28, flags, true);
  view.setBigUint64(32, BigInt(header.checkpointLsn), true);
  view.setBigUint64(40, BigInt(header.invocation), true);
  if (header.generationId !== undefined && header.generationId !== null)
    bytes.set(guidBytes(header.generationId), 48);
  return seal(bytes);
}

export function decodeDbHeader(bytes: Uint8Array): DbHeader | null {
  const view = sealed(bytes, 'HVMDB\0\0\0');
  if (view?.getUint32(16, true) !== DB_PAGES) return null;
  return {
    open: view.getUint32(24, true) === 1,
    backupImage: (view.getUint32(28, true) & FLAG_BACKUP) !== 0,
    writerFrozen: (view.getUint32(28, true) & FLAG_WRITER_FROZEN) !== 0,
    checkpointLsn: Number(view.getBigUint64(32, true)),
    invocation: Number(view.getBigUint64(40, true)),
    generationId: guidOf(bytes.subarray(48, 64)),
  };
}

export function encodePage(page: number, content: DbPage): Uint8Array {
  const bytes = new Uint8Array(BLOCK);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode('HVMPAGE\0'), 0);
  view.setUint32(8, page, true);
  view.setBigUint64(16, BigInt(content.lsn), true);
  view.setFloat64(24, content.value, true);
  return seal(bytes);
}

export function decodePage(bytes: Uint8Array, page: number): DbPage | null {
  const view = sealed(bytes, 'HVMPAGE\0');
  if (view?.getUint32(8, true) !== page) return null;
  return { lsn: Number(view.getBigUint64(16, true)), value: view.getFloat64(24, true) };
}

export function encodeLogRecord(record: LogRecord): Uint8Array {
  const bytes = new Uint8Array(LOG_RECORD);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode('LOGR'), 0);
  view.setUint32(4, record.begin === true ? LOG_BEGIN : LOG_COMMIT, true);
  view.setBigUint64(8, BigInt(record.lsn), true);
  view.setUint32(16, record.page, true);
  view.setFloat64(24, record.delta, true);
  return seal(bytes);
}

export function decodeLogRecord(bytes: Uint8Array): LogRecord | null {
  const view = sealed(bytes, 'LOGR');
  if (view === null) return null;
  const kind = view.getUint32(4, true);
  if (kind !== LOG_COMMIT && kind !== LOG_BEGIN) return null;
  return {
    lsn: Number(view.getBigUint64(8, true)),
    page: view.getUint32(16, true),
    delta: view.getFloat64(24, true),
    ...(kind === LOG_BEGIN ? { begin: true } : {}),
  };
}

/** A GUID's 32 hex digits as 16 bytes (in the order written; the model only compares them). */
function guidBytes(guid: string): Uint8Array {
  const hex = guid
    .replace(/[^0-9a-fA-F]/g, '')
    .padEnd(32, '0')
    .slice(0, 32);
  const bytes = new Uint8Array(16);
  for (let k = 0; k < 16; k += 1) bytes[k] = Number.parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  return bytes;
}

/** 16 bytes back as a lower-case GUID, or null when all zero (none cached). */
function guidOf(bytes: Uint8Array): string | null {
  if (bytes.every((byte) => byte === 0)) return null;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
