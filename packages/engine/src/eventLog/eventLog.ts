import type { FileStore } from '@hvm/vhdx';
import { invalidArgument } from '../errors.js';
import type { Clock } from '../ports.js';
import {
  EventLevel,
  type EventLogEntry,
  type EventLogPage,
  type EventLogQuery,
  type VmId,
} from '../types.js';
import type { EventDraft } from './eventCatalog.js';
import { EventLogFile } from './eventLogFile.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;
/** The account Hyper-V's own background work (merges it resumes, automatic actions) runs as. */
export const SYSTEM_USER = 'NT AUTHORITY\\SYSTEM';

const LEVELS: readonly string[] = Object.values(EventLevel);

/**
 * The host's Hyper-V-VMMS Admin log: appended to by every operation, kept on disk (see
 * `EventLogFile`) and in memory for queries. Writing never fails an operation: an entry that
 * cannot be written stays in memory until the host closes.
 */
export class EventLog {
  private entries: EventLogEntry[] = [];
  /** Entries read from, or written to, the rotated and the current file. */
  private inRotated = 0;
  private inCurrent = 0;
  private nextId = 1;

  private constructor(
    private readonly file: EventLogFile,
    private readonly clock: Clock,
    private readonly onEntry: (entry: EventLogEntry) => void,
  ) {}

  static async open(
    store: FileStore,
    clock: Clock,
    onEntry: (entry: EventLogEntry) => void,
    maxBytes?: number,
  ): Promise<EventLog> {
    const file = new EventLogFile(store, maxBytes);
    const log = new EventLog(file, clock, onEntry);
    const { rotated, current } = await file.open();
    log.entries = [...rotated, ...current];
    log.inRotated = rotated.length;
    log.inCurrent = current.length;
    log.nextId = log.entries.reduce((max, e) => Math.max(max, e.id), 0) + 1;
    return log;
  }

  /** Adds an entry (visible to queries at once) and resolves when it is on disk. */
  async record(draft: EventDraft, user: string): Promise<EventLogEntry> {
    const entry: EventLogEntry = {
      id: this.nextId,
      time: this.clock.now().toISOString(),
      level: draft.level,
      eventId: draft.eventId,
      source: 'Hyper-V-VMMS',
      user,
      vmName: draft.vm?.name ?? null,
      vmId: (draft.vm?.id ?? null) as VmId | null,
      operation: draft.operation,
      outcome: draft.outcome,
      message: draft.message,
    };
    this.nextId += 1;
    this.entries.push(entry);
    this.onEntry(entry);
    try {
      const rotated = await this.file.append(entry);
      if (rotated) {
        this.entries.splice(0, this.inRotated);
        this.inRotated = this.inCurrent;
        this.inCurrent = 0;
      }
      this.inCurrent += 1;
    } catch {
      // Kept in memory only; the operation it describes has happened all the same.
    }
    return entry;
  }

  query(query: EventLogQuery = {}): EventLogPage {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_QUERY_LIMIT;
    if (!Number.isInteger(offset) || offset < 0)
      throw invalidArgument('offset', 'The offset must be a whole number, 0 or more.');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
      throw invalidArgument(
        'limit',
        `The limit must be a whole number between 1 and ${MAX_QUERY_LIMIT}.`,
      );
    }
    const levels = query.levels ?? [];
    for (const level of levels) {
      if (!LEVELS.includes(level))
        throw invalidArgument('levels', 'The level must be Information, Warning or Error.');
    }
    const from = timeOf(query.from, 'from');
    const to = timeOf(query.to, 'to');
    const text = query.text?.trim().toLowerCase() ?? '';
    const matching = this.entries.filter((e) => {
      if (query.vmId !== undefined && e.vmId !== query.vmId) return false;
      if (levels.length > 0 && !levels.includes(e.level)) return false;
      const time = Date.parse(e.time);
      if (from !== null && time < from) return false;
      if (to !== null && time > to) return false;
      if (text === '') return true;
      return [e.message, e.vmName ?? '', e.user, e.operation, String(e.eventId)].some((field) =>
        field.toLowerCase().includes(text),
      );
    });
    matching.reverse();
    return {
      entries: matching.slice(offset, offset + limit),
      total: matching.length,
      offset,
      limit,
    };
  }

  /** Resolves when every entry recorded so far is on disk (or failed to be written). */
  flushed(): Promise<void> {
    return this.file.flushed();
  }
}

function timeOf(value: string | undefined, field: string): number | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidArgument(field, `'${value}' is not a date and time.`);
  return time;
}
