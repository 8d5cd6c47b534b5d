import type { FileStore } from '@hvm/vhdx';
import type { EventLogEntry } from '../types.js';

/** Where the log lives in the data folder: one JSON record per line, the older half in `.1`. */
export const EVENT_LOG_FOLDER = 'Logs';
export const EVENT_LOG_PATH = `${EVENT_LOG_FOLDER}/Hyper-V-VMMS-Admin.jsonl`;
export const ROTATED_EVENT_LOG_PATH = `${EVENT_LOG_PATH}.1`;
/** Hyper-V's Admin channel keeps 1 MB by default; the `.1` file holds as much again. */
export const DEFAULT_EVENT_LOG_MAX_BYTES = 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function isEntry(value: unknown): value is EventLogEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<EventLogEntry>;
  return (
    typeof v.id === 'number' &&
    typeof v.time === 'string' &&
    typeof v.level === 'string' &&
    typeof v.eventId === 'number' &&
    typeof v.message === 'string'
  );
}

/** The records of one file, and how many leading bytes hold whole lines. */
function parseLines(bytes: Uint8Array): { entries: EventLogEntry[]; wholeBytes: number } {
  const lastNewline = bytes.lastIndexOf(0x0a);
  const wholeBytes = lastNewline + 1;
  const entries: EventLogEntry[] = [];
  for (const line of decoder.decode(bytes.subarray(0, wholeBytes)).split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isEntry(parsed)) entries.push(parsed);
    } catch {
      // A damaged line is skipped; the others stay readable.
    }
  }
  return { entries, wholeBytes };
}

async function readIfPresent(store: FileStore, path: string): Promise<Uint8Array | null> {
  try {
    return await store.readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

/**
 * The log's files: appends are written and fsync'd one after the other; a line torn by a crash
 * (the tail after the last newline) is cut off when the log is opened; the current file is
 * renamed to `.1` before an append would make it larger than `maxBytes`.
 */
export class EventLogFile {
  private size = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: FileStore,
    private readonly maxBytes: number = DEFAULT_EVENT_LOG_MAX_BYTES,
  ) {}

  /** Reads both files, oldest entry first, and cuts a torn last line off the current file. */
  async open(): Promise<{ rotated: EventLogEntry[]; current: EventLogEntry[] }> {
    await this.store.mkdirp(EVENT_LOG_FOLDER);
    const rotated = await readIfPresent(this.store, ROTATED_EVENT_LOG_PATH);
    const current = await readIfPresent(this.store, EVENT_LOG_PATH);
    const older = rotated === null ? [] : parseLines(rotated).entries;
    if (current === null) {
      this.size = 0;
      return { rotated: older, current: [] };
    }
    const { entries, wholeBytes } = parseLines(current);
    if (wholeBytes < current.length) {
      const handle = await this.store.open(EVENT_LOG_PATH, 'r+');
      try {
        await handle.truncate(wholeBytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    this.size = wholeBytes;
    return { rotated: older, current: entries };
  }

  /** Appends one record durably; returns true when the current file was rotated to `.1` first. */
  append(entry: EventLogEntry): Promise<boolean> {
    const line = encoder.encode(`${JSON.stringify(entry)}\n`);
    const write = this.chain.then(async () => {
      let rotated = false;
      if (this.size > 0 && this.size + line.length > this.maxBytes) {
        await this.store.rename(EVENT_LOG_PATH, ROTATED_EVENT_LOG_PATH);
        this.size = 0;
        rotated = true;
      }
      const handle =
        this.size === 0 && !(await this.store.exists(EVENT_LOG_PATH))
          ? await this.store.open(EVENT_LOG_PATH, 'wx')
          : await this.store.open(EVENT_LOG_PATH, 'r+');
      try {
        await handle.write(line, this.size);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.size += line.length;
      return rotated;
    });
    this.chain = write.then(
      () => undefined,
      () => undefined,
    );
    return write;
  }

  /** Resolves when every append so far is on disk (or failed). */
  flushed(): Promise<void> {
    return this.chain;
  }
}
