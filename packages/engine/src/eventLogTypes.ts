/** The host's event log: its levels, entries and queries (Hyper-V-VMMS > Admin). */
import type { VmId } from './ids.js';

/** The levels of the Hyper-V-VMMS Admin log, as Event Viewer shows them. */
export const EventLevel = {
  Information: 'Information',
  Warning: 'Warning',
  Error: 'Error',
} as const;
export type EventLevel = (typeof EventLevel)[keyof typeof EventLevel];

/** One entry of the host's event log (Applications and Services Logs > Hyper-V-VMMS > Admin). */
export interface EventLogEntry {
  /** The record number: 1 for the first entry ever written, growing by one. */
  id: number;
  /** ISO time. */
  time: string;
  level: EventLevel;
  eventId: number;
  source: 'Hyper-V-VMMS';
  /** Who asked for the operation, e.g. "HV-HOST\\Administrator"; "NT AUTHORITY\\SYSTEM" for the host's own work. */
  user: string;
  vmName: string | null;
  vmId: VmId | null;
  /** e.g. "Create checkpoint", "Start", "Merge". */
  operation: string;
  outcome: 'Succeeded' | 'Failed';
  message: string;
}

export interface EventLogQuery {
  vmId?: VmId;
  /** Any of these levels; all when absent or empty. */
  levels?: EventLevel[];
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
  /** Case-insensitive, in the message, the VM name, the user and the operation. */
  text?: string;
  /** Entries to skip, newest first. */
  offset?: number;
  /** At most this many entries (1-1000, default 100). */
  limit?: number;
}

export interface EventLogPage {
  /** Newest first. */
  entries: EventLogEntry[];
  /** How many entries match the query in all. */
  total: number;
  offset: number;
  limit: number;
}
