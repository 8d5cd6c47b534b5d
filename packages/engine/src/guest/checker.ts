import type { Consistency } from '../types.js';
import {
  BLOCK,
  BOOT_OFFSET,
  DB_OFFSET,
  DB_PAGES,
  LOG_RECORD,
  LOG_SLOTS,
  VOLUME_OFFSET,
  decodeBootRecord,
  decodeDbHeader,
  decodeLogRecord,
  decodePage,
  decodeVolume,
  logOffset,
  pageOffset,
  sumThrough,
  type BootRecord,
  type DbHeader,
  type DbPage,
  type LogRecord,
  type VolumeState,
} from './diskFormat.js';

/** Reads `length` bytes at a virtual offset of a disk chain. */
export type DiskReader = (offset: number, length: number) => Promise<Uint8Array>;

/** What the guest's own database tools find on a disk image. */
export interface DiskInspection {
  boot: BootRecord | null;
  volume: VolumeState | null;
  header: DbHeader | null;
  pages: (DbPage | null)[];
  /** Committed log records after the header's checkpoint LSN, consecutive. */
  log: LogRecord[];
  /**
   * The transactions whose begin records follow the last commit: in flight when the VSS writer
   * froze I/O. Recovery rolls them back (they changed no page: the model applies a transaction's
   * change to its page only when it commits).
   */
  inFlight: number[];
}

export async function inspectGuestDisk(read: DiskReader): Promise<DiskInspection> {
  const boot = decodeBootRecord(await read(BOOT_OFFSET, BLOCK));
  if (boot === null) return { boot, volume: null, header: null, pages: [], log: [], inFlight: [] };
  const volume = decodeVolume(await read(VOLUME_OFFSET, BLOCK));
  const header = decodeDbHeader(await read(DB_OFFSET, BLOCK));
  const pageBytes = await read(pageOffset(0), DB_PAGES * BLOCK);
  const pages: (DbPage | null)[] = [];
  for (let page = 0; page < DB_PAGES; page += 1)
    pages.push(decodePage(pageBytes.subarray(page * BLOCK, (page + 1) * BLOCK), page));
  const log: LogRecord[] = [];
  const inFlight: number[] = [];
  if (header !== null) {
    const logBytes = await read(logOffset(0), LOG_SLOTS * LOG_RECORD);
    for (let lsn = header.checkpointLsn + 1; log.length + inFlight.length < LOG_SLOTS; lsn += 1) {
      const at = (lsn % LOG_SLOTS) * LOG_RECORD;
      const record = decodeLogRecord(logBytes.subarray(at, at + LOG_RECORD));
      if (record?.lsn !== lsn) break;
      if (record.begin === true) inFlight.push(lsn);
      else if (inFlight.length === 0) log.push(record);
      else break;
    }
  }
  return { boot, volume, header, pages, log, inFlight };
}

/** Redo: the pages once every committed log record newer than a page is applied. */
export function recoverPages(inspection: DiskInspection): { pages: DbPage[]; redone: number } {
  const pages = inspection.pages.map((p) => ({ lsn: p?.lsn ?? 0, value: p?.value ?? 0 }));
  let redone = 0;
  for (const record of inspection.log) {
    const page = pages[record.page];
    if (page === undefined || page.lsn >= record.lsn) continue;
    page.lsn = record.lsn;
    page.value += record.delta;
    redone += 1;
  }
  return { pages, redone };
}

export interface CheckResult {
  consistency: Consistency | null;
  detail: string;
}

/** What the guest kept in memory, as far as the checker needs it (see `GuestMemoryState`). */
export interface MemoryEvidence {
  lastCommitted: number;
}

/**
 * The guest application's consistency checker. It reads the disk image only (plus the saved
 * memory when there is one) and decides:
 * - ApplicationConsistent: the volume is clean, the database was closed (or quiesced by its VSS
 *   writer) at its checkpoint LSN n with no later log, every page is intact, and the pages hold
 *   exactly transactions 1..n (their sum is n(n+1)/2): usable as it is;
 * - ApplicationConsistent too: the application's VSS writer froze its I/O with the database open
 *   (SQL Server's writer freezes I/O and commits nothing; its snapshot is "in a non-recovered
 *   state" until recovery rolls back the in-flight transactions, VSS_CF_APP_ROLLBACK_RECOVERY:
 *   SQL Server's "SQL Server Backup Applications - Volume Shadow Copy Service (VSS) and SQL
 *   Writer", behaviour spec R33), the volume flushed, and recovery gives exactly the committed
 *   transactions, rolling back those in flight;
 * - FileSystemConsistent: the volume is clean but the database is open: it needs crash recovery,
 *   which the checker runs on a copy and which must give exactly the logged transactions;
 * - CrashConsistent: the volume was mounted with buffers pending: what a power cut leaves; the
 *   database still recovers from its log (else the result says it does not);
 * - Complete: the image above plus a saved memory whose guest has committed exactly what the
 *   disk's log holds: resuming continues the same run.
 * Null for a disk without an operating system.
 */
export async function checkGuestDisk(
  read: DiskReader,
  memory: MemoryEvidence | null = null,
): Promise<CheckResult> {
  const inspection = await inspectGuestDisk(read);
  const { boot, volume, header, pages, log } = inspection;
  if (boot === null) return { consistency: null, detail: 'blank disk: no operating system' };
  if (volume === null || header === null)
    return { consistency: 'CrashConsistent', detail: 'the volume or database header is damaged' };
  const torn = pages.findIndex((p) => p === null);
  if (torn >= 0) return { consistency: 'CrashConsistent', detail: `database page ${torn} is torn` };
  const lastLogged = log.at(-1)?.lsn ?? header.checkpointLsn;
  if (memory !== null) {
    if (memory.lastCommitted === lastLogged) {
      return {
        consistency: 'Complete',
        detail: `disks and memory: the guest resumes with ${lastLogged} committed transactions and its in-flight ones`,
      };
    }
  }
  const intactSum = (list: DbPage[], n: number): boolean =>
    list.every((p) => p.lsn <= n) && list.reduce((sum, p) => sum + p.value, 0) === sumThrough(n);
  const n = header.checkpointLsn;
  if (
    volume.clean &&
    !header.open &&
    log.length === 0 &&
    intactSum(
      pages.filter((p): p is DbPage => p !== null),
      n,
    )
  ) {
    return {
      consistency: 'ApplicationConsistent',
      detail: `${boot.app} closed cleanly at LSN ${n}: ${n} committed transactions, no recovery needed`,
    };
  }
  const recovered = recoverPages(inspection);
  const recoverable = intactSum(recovered.pages, lastLogged);
  if (volume.clean && header.open && header.writerFrozen === true && recoverable) {
    return {
      consistency: 'ApplicationConsistent',
      detail: `${boot.app}: its VSS writer froze I/O at LSN ${lastLogged} (${lastLogged} committed transactions); recovery redoes ${recovered.redone} and rolls back ${inspection.inFlight.length} in flight`,
    };
  }
  const recovery = recoverable
    ? `crash recovery redoes ${recovered.redone} transactions up to LSN ${lastLogged}`
    : `crash recovery cannot rebuild the database (pages disagree with the log at LSN ${lastLogged})`;
  if (volume.clean) {
    return {
      consistency: 'FileSystemConsistent',
      detail: `file systems flushed, database open: ${recovery}`,
    };
  }
  return {
    consistency: 'CrashConsistent',
    detail: `volume mounted with buffers pending: ${recovery}`,
  };
}
