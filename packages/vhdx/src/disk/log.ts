import { VhdxError } from '../errors.js';
import {
  KiB,
  MiB,
  SIG_LOG_DATA,
  SIG_LOG_DESC,
  SIG_LOG_ENTRY,
  SIG_LOG_ZERO,
} from '../format/constants.js';
import type { FileHandle } from '../storage/fileStore.js';
import { ascii, readU64, view, writeAscii, writeU64 } from '../util/bytes.js';
import { crc32c } from '../util/crc32c.js';
import { readGuid, writeGuid } from '../util/guid.js';
import type { FileLayout } from './fileLayout.js';
import { refuseLastFileOffset, replayedSizeBound } from './logFileSize.js';

const SECTOR = 4 * KiB;
const MAX_LOG_BYTES = 64 * MiB;
const MAX_OVERLAY_BYTES = 64 * MiB;
/** Replay never writes the file identifier or the headers. */
const LOWEST_LOGGED_OFFSET = 192 * KiB;

/** Replayed log writes kept in memory for a read-only open. */
export class LogOverlay {
  constructor(readonly writes: { offset: number; data: Uint8Array }[]) {}

  apply(buf: Uint8Array, pos: number): void {
    const end = pos + buf.length;
    for (const w of this.writes) {
      const s = Math.max(pos, w.offset);
      const e = Math.min(end, w.offset + w.data.length);
      if (s < e) buf.set(w.data.subarray(s - w.offset, e - w.offset), s - pos);
    }
  }
}

interface LogEntry {
  at: number;
  length: number;
  tail: number;
  sequence: bigint;
  flushedFileOffset: number;
  lastFileOffset: number;
  writes: { offset: number; data: Uint8Array }[];
}

/**
 * Writes `pages` (4 KiB each) through the log: entry, flush, in place. Returns the next sequence
 * number. The last entry's in-place writes are left to the caller's next flush (a crash before
 * it replays the entry); an entry that follows another in the same call waits for that flush,
 * as it overwrites the log.
 */
export async function writeLogEntries(
  handle: FileHandle,
  layout: FileLayout,
  pages: { offset: number; data: Uint8Array }[],
  sequence: bigint,
  fileSize: number,
): Promise<bigint> {
  const maxPerEntry = Math.floor(layout.header.logLength / SECTOR) - 2;
  let seq = sequence;
  for (let i = 0; i < pages.length; i += maxPerEntry) {
    if (i > 0) await handle.sync();
    const batch = pages.slice(i, i + maxPerEntry);
    const entry = buildEntry(batch, seq, layout.header.logGuid, fileSize);
    await handle.write(entry, layout.header.logOffset);
    await handle.sync();
    for (const p of batch) await handle.write(p.data, p.offset);
    seq += 1n;
  }
  return seq;
}

function buildEntry(
  pages: { offset: number; data: Uint8Array }[],
  seq: bigint,
  logGuid: string,
  fileSize: number,
): Uint8Array {
  const n = pages.length;
  const descSectors = n <= 126 ? 1 : 1 + Math.ceil((n - 126) / 128);
  const buf = new Uint8Array((descSectors + n) * SECTOR);
  const dv = view(buf);
  writeAscii(buf, 0, SIG_LOG_ENTRY);
  dv.setUint32(8, buf.length, true);
  dv.setUint32(12, 0, true);
  dv.setBigUint64(16, seq, true);
  dv.setUint32(24, n, true);
  writeGuid(buf, 32, logGuid);
  writeU64(dv, 48, Math.floor(fileSize / MiB) * MiB);
  writeU64(dv, 56, Math.ceil(fileSize / MiB) * MiB);
  pages.forEach((p, i) => {
    const d = descriptorOffset(i);
    writeAscii(buf, d, SIG_LOG_DESC);
    const pv = view(p.data);
    dv.setUint32(d + 4, pv.getUint32(4092, true), true);
    dv.setBigUint64(d + 8, pv.getBigUint64(0, true), true);
    writeU64(dv, d + 16, p.offset);
    dv.setBigUint64(d + 24, seq, true);
    const s = (descSectors + i) * SECTOR;
    writeAscii(buf, s, SIG_LOG_DATA);
    dv.setUint32(s + 4, Number(seq >> 32n), true);
    buf.set(p.data.subarray(8, 4092), s + 8);
    dv.setUint32(s + 4092, Number(seq & 0xffffffffn), true);
  });
  dv.setUint32(4, crc32c(buf), true);
  return buf;
}

function descriptorOffset(i: number): number {
  return i < 126
    ? 64 + i * 32
    : SECTOR * (1 + Math.floor((i - 126) / 128)) + ((i - 126) % 128) * 32;
}

/**
 * Replays a non-empty log: in place when writable, into an in-memory overlay otherwise.
 * A log with no valid entry is treated as empty (as qemu does).
 */
export async function replayLog(
  handle: FileHandle,
  layout: FileLayout,
  fileSize: number,
  writable: boolean,
): Promise<{ overlay: LogOverlay | null; fileSize: number; sectionChanged: boolean }> {
  const { logOffset, logLength, logVersion, logGuid } = layout.header;
  if (logVersion !== 0) {
    throw new VhdxError('header', `LogVersion ${logVersion} is not 0 and the log is not empty`, {
      field: 'LogVersion',
      code: 'UNSUPPORTED',
    });
  }
  if (logLength > MAX_LOG_BYTES) {
    throw new VhdxError('log', `log of ${logLength} bytes is too large to replay`, {
      offset: logOffset,
      code: 'UNSUPPORTED',
    });
  }
  if (logOffset + logLength > fileSize) {
    throw new VhdxError(
      'log',
      `log of ${logLength} bytes lies beyond the end of the file (${fileSize} bytes)`,
      {
        offset: logOffset,
        field: 'LogOffset',
      },
    );
  }
  const log = new Uint8Array(logLength);
  const n = await handle.read(log, logOffset);
  log.fill(0, n);
  const entries = findActiveSequence(log, logGuid, logOffset);
  const head = entries[entries.length - 1];
  if (!head)
    return { overlay: writable ? null : new LogOverlay([]), fileSize, sectionChanged: false };
  if (fileSize < head.flushedFileOffset) {
    throw new VhdxError(
      'log',
      `file is ${fileSize} bytes but the log says ${head.flushedFileOffset} were durable; the file was truncated`,
      {
        offset: logOffset + head.at + 48,
        field: 'FlushedFileOffset',
      },
    );
  }
  const writes = entries.flatMap((e) => e.writes);
  const sectionChanged = writes.some((w) => w.offset < MiB);
  refuseLastFileOffset(
    head.lastFileOffset,
    replayedSizeBound(fileSize, writes, layout.bat),
    logOffset + head.at,
  );
  const newSize = Math.max(fileSize, head.lastFileOffset);
  if (!writable) return { overlay: new LogOverlay(writes), fileSize: newSize, sectionChanged };
  for (const w of writes) await handle.write(w.data, w.offset);
  if (newSize > fileSize) await handle.truncate(newSize);
  await handle.sync();
  return { overlay: null, fileSize: newSize, sectionChanged };
}

function circular(log: Uint8Array, at: number, length: number): Uint8Array {
  if (at + length <= log.length) return log.subarray(at, at + length);
  const out = new Uint8Array(length);
  const first = log.length - at;
  out.set(log.subarray(at), 0);
  out.set(log.subarray(0, length - first), first);
  return out;
}

function parseEntry(
  log: Uint8Array,
  at: number,
  logGuid: string,
  logOffset: number,
): LogEntry | null {
  const head = log.subarray(at, at + 64);
  if (ascii(head, 0, 4) !== SIG_LOG_ENTRY) return null;
  const hv = view(head);
  const length = hv.getUint32(8, true);
  if (length === 0 || length % SECTOR !== 0 || length > log.length) return null;
  if (readGuid(head, 32) !== logGuid) return null;
  const entry = circular(log, at, length).slice();
  const dv = view(entry);
  const checksum = dv.getUint32(4, true);
  dv.setUint32(4, 0, true);
  if (crc32c(entry) !== checksum) return null;
  const sequence = dv.getBigUint64(16, true);
  const count = dv.getUint32(24, true);
  const descSectors = count <= 126 ? 1 : 1 + Math.ceil((count - 126) / 128);
  const writes: { offset: number; data: Uint8Array }[] = [];
  let dataSector = descSectors;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const d = descriptorOffset(i);
    if (d + 32 > length) return null;
    const sig = ascii(entry, d, 4);
    const fileOffset = readU64(dv, d + 16);
    if (dv.getBigUint64(d + 24, true) !== sequence || fileOffset % SECTOR !== 0) return null;
    if (fileOffset < LOWEST_LOGGED_OFFSET) {
      throw new VhdxError(
        'log',
        `descriptor ${i} would overwrite the header area at ${fileOffset}`,
        { offset: logOffset + at + d, field: 'FileOffset' },
      );
    }
    let data: Uint8Array;
    if (sig === SIG_LOG_DESC) {
      const s = dataSector++ * SECTOR;
      if (s + SECTOR > length || ascii(entry, s, 4) !== SIG_LOG_DATA) return null;
      const seqCheck =
        (BigInt(dv.getUint32(s + 4, true)) << 32n) | BigInt(dv.getUint32(s + 4092, true));
      if (seqCheck !== sequence) return null;
      data = new Uint8Array(SECTOR);
      const pv = view(data);
      pv.setBigUint64(0, dv.getBigUint64(d + 8, true), true);
      data.set(entry.subarray(s + 8, s + 4092), 8);
      pv.setUint32(4092, dv.getUint32(d + 4, true), true);
    } else if (sig === SIG_LOG_ZERO) {
      const zeroLength = readU64(dv, d + 8);
      if (zeroLength % SECTOR !== 0 || total + zeroLength > MAX_OVERLAY_BYTES) {
        throw new VhdxError(
          'log',
          `zero descriptor ${i} length ${zeroLength} is invalid or too large`,
          { offset: logOffset + at + d, field: 'ZeroLength' },
        );
      }
      data = new Uint8Array(zeroLength);
    } else return null;
    total += data.length;
    writes.push({ offset: fileOffset, data });
  }
  return {
    at,
    length,
    tail: dv.getUint32(12, true),
    sequence,
    flushedFileOffset: readU64(dv, 48),
    lastFileOffset: readU64(dv, 56),
    writes,
  };
}

/** The valid run of entries ending at the newest entry whose tail lies inside the run, oldest first. */
function findActiveSequence(log: Uint8Array, logGuid: string, logOffset: number): LogEntry[] {
  const candidates: LogEntry[] = [];
  for (let at = 0; at < log.length; at += SECTOR) {
    const e = parseEntry(log, at, logGuid, logOffset);
    if (e) candidates.push(e);
  }
  candidates.sort((a, b) => (a.sequence < b.sequence ? 1 : -1));
  const byOffset = new Map(candidates.map((c) => [c.at, c]));
  for (const head of candidates) {
    const run: LogEntry[] = [];
    let cur = byOffset.get(head.tail);
    while (cur && run.length <= candidates.length) {
      run.push(cur);
      if (cur === head) return run;
      const next = byOffset.get((cur.at + cur.length) % log.length);
      if (next?.sequence !== cur.sequence + 1n) break;
      cur = next;
    }
  }
  return [];
}
