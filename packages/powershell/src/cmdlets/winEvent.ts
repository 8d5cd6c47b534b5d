/**
 * Get-WinEvent over the host's event log: the Hyper-V-VMMS Admin channel
 * (`Microsoft-Windows-Hyper-V-VMMS-Admin`, Event Viewer's Applications and Services Logs >
 * Microsoft > Windows > Hyper-V-VMMS > Admin), newest first, as EventLogRecord objects.
 */
import type { EventLogEntry, Host } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject, toPsString } from '../runtime/values.js';
import type { CmdletDef } from './types.js';

export const EVENT_RECORD_TYPE = 'System.Diagnostics.Eventing.Reader.EventLogRecord';
export const VMMS_ADMIN_LOG = 'Microsoft-Windows-Hyper-V-VMMS-Admin';
export const VMMS_PROVIDER = 'Microsoft-Windows-Hyper-V-VMMS';
/** Event Viewer's name of the same channel, which Get-WinEvent also accepts. */
const VMMS_ADMIN_PATH = 'Microsoft-Windows-Hyper-V-VMMS/Admin';
/** The engine's largest page. */
const PAGE = 1000;

/** Windows' level numbers: 2 Error, 3 Warning, 4 Information. */
const LEVELS: Record<EventLogEntry['level'], number> = { Error: 2, Warning: 3, Information: 4 };

export function eventRecordObject(host: Host, entry: EventLogEntry): PsObject {
  return new PsObject(EVENT_RECORD_TYPE, {
    TimeCreated: new Date(entry.time),
    Id: entry.eventId,
    LevelDisplayName: entry.level,
    Message: entry.message,
    ProviderName: VMMS_PROVIDER,
    LogName: VMMS_ADMIN_LOG,
    Level: LEVELS[entry.level],
    RecordId: entry.id,
    MachineName: host.info().name,
    UserId: entry.user,
  });
}

/**
 * Get-WinEvent's words for a log this computer does not have (GetEventResources
 * NoMatchingLogsFound, as scripts quote it: `There is not an event log on the localhost computer
 * that matches "X".`, errorId NoMatchingLogsFound). [B] the category is our reading.
 */
function noSuchLog(name: string): PsError {
  return new PsError(
    `There is not an event log on the localhost computer that matches "${name}".`,
    {
      category: 'ObjectNotFound',
      errorId: 'NoMatchingLogsFound',
      exceptionType: 'Exception',
      target: name,
      targetType: 'String',
    },
  );
}

/** `No events were found that match the specified selection criteria.` (NoMatchingEventsFound). [B] the category. */
function noEvents(): PsError {
  return new PsError('No events were found that match the specified selection criteria.', {
    category: 'ObjectNotFound',
    errorId: 'NoMatchingEventsFound',
    exceptionType: 'Exception',
  });
}

function isVmmsAdmin(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === VMMS_ADMIN_LOG.toLowerCase() || lower === VMMS_ADMIN_PATH.toLowerCase();
}

interface EventFilter {
  logNames: string[];
  matches(entry: EventLogEntry): boolean;
}

/**
 * The entries of a hashtable: the language's `@{}` is read by its shape (a `typeName` of
 * System.Collections.Hashtable or OrderedDictionary and `entries()`), as a JS Map or a PsObject of
 * that type are.
 */
function hashtableEntries(value: unknown): [string, unknown][] | null {
  if (value instanceof Map)
    return [...(value as Map<unknown, unknown>).entries()].map(([k, v]) => [toPsString(k), v]);
  if (typeof value === 'object' && value !== null && 'entries' in value) {
    const typeName = (value as { typeName?: unknown }).typeName;
    const entries = (value as { entries?: unknown }).entries;
    if (
      typeof entries === 'function' &&
      (typeName === 'System.Collections.Hashtable' ||
        typeName === 'System.Collections.Specialized.OrderedDictionary')
    ) {
      return [...(entries.call(value) as Iterable<[unknown, unknown]>)].map(([k, v]) => [
        toPsString(k),
        v,
      ]);
    }
  }
  if (value instanceof PsObject && value.typeName === 'System.Collections.Hashtable')
    return Object.entries(value.props);
  return null;
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function timeOf(value: unknown): number {
  const time = value instanceof Date ? value.getTime() : Date.parse(toPsString(value));
  return Number.isNaN(time) ? Number.NaN : time;
}

/**
 * One -FilterHashtable: LogName, ProviderName, ID, Level, StartTime and EndTime (Get-WinEvent
 * reference). Any other key names event data these events do not carry, so nothing matches it, as
 * in Windows PowerShell 5.1 where other keys are named event data.
 */
function eventFilterOf(value: unknown): EventFilter {
  const entries = hashtableEntries(value);
  if (entries === null) {
    throw new PsError(
      `Cannot bind parameter 'FilterHashtable'. Cannot convert the "${toPsString(value)}" value of type "${typeof value === 'string' ? 'System.String' : 'System.Object'}" to type "System.Collections.Hashtable".`,
      {
        category: 'InvalidArgument',
        errorId: 'CannotConvertArgumentNoMessage',
        exceptionType: 'ParameterBindingException',
        reach: 'statement',
      },
    );
  }
  const logNames: string[] = [];
  const tests: ((e: EventLogEntry) => boolean)[] = [];
  for (const [key, raw] of entries) {
    const values = listOf(raw);
    switch (key.toLowerCase()) {
      case 'logname':
        logNames.push(...values.map(toPsString));
        break;
      case 'providername': {
        const names = values.map((v) => toPsString(v).toLowerCase());
        tests.push(() => names.includes(VMMS_PROVIDER.toLowerCase()));
        break;
      }
      case 'id': {
        const ids = values.map(Number);
        tests.push((e) => ids.includes(e.eventId));
        break;
      }
      case 'level': {
        const levels = values.map(Number);
        tests.push((e) => levels.includes(LEVELS[e.level]));
        break;
      }
      case 'starttime': {
        const from = timeOf(raw);
        tests.push((e) => Date.parse(e.time) >= from);
        break;
      }
      case 'endtime': {
        const to = timeOf(raw);
        tests.push((e) => Date.parse(e.time) <= to);
        break;
      }
      default:
        tests.push(() => false);
    }
  }
  // Without LogName the query reads the providers' logs: this host's provider writes to one.
  if (logNames.length === 0) logNames.push(VMMS_ADMIN_LOG);
  return { logNames, matches: (e) => tests.every((t) => t(e)) };
}

const getWinEvent: CmdletDef = {
  name: 'Get-WinEvent',
  className: 'Microsoft.PowerShell.Commands.GetWinEventCommand',
  // Microsoft's Get-WinEvent reference: [-LogName] <String[]> at position 0, or
  // [-FilterHashtable] <Hashtable[]> at position 0; -MaxEvents <Int64>, -Oldest.
  parameterSets: [
    { name: 'GetLogSet', mandatory: ['LogName'] },
    { name: 'HashQuerySet', mandatory: ['FilterHashtable'] },
  ],
  params: [
    { name: 'LogName', type: 'string[]', position: 0 },
    { name: 'FilterHashtable', type: 'any[]', position: 0 },
    { name: 'MaxEvents', type: 'int', netType: 'System.Int64' },
    { name: 'Oldest', type: 'switch' },
  ],
  async process(ctx, params) {
    const filters =
      params.FilterHashtable === undefined
        ? null
        : (params.FilterHashtable as unknown[]).map(eventFilterOf);
    const names =
      filters === null
        ? ((params.LogName as unknown[] | undefined) ?? []).map(toPsString)
        : filters.flatMap((f) => f.logNames);
    const known = names.filter(isVmmsAdmin);
    for (const name of names) if (!isVmmsAdmin(name)) ctx.writeError(noSuchLog(name));
    if (known.length === 0) return;
    const max = typeof params.MaxEvents === 'number' ? params.MaxEvents : Number.POSITIVE_INFINITY;
    // The oldest events are the last pages: -Oldest reads them all (the log is bounded by its file).
    const wanted = params.Oldest === true || filters !== null ? Number.POSITIVE_INFINITY : max;
    const entries: EventLogEntry[] = [];
    for (let offset = 0; entries.length < wanted; offset += PAGE) {
      const page = await ctx.host.queryEventLog({ offset, limit: PAGE });
      entries.push(...page.entries);
      if (offset + PAGE >= page.total) break;
    }
    const matching =
      filters === null ? entries : entries.filter((e) => filters.some((f) => f.matches(e)));
    const chosen = params.Oldest === true ? matching.reverse() : matching;
    const shown = chosen.slice(0, Number.isFinite(max) ? max : chosen.length);
    if (shown.length === 0) ctx.writeError(noEvents());
    for (const entry of shown) ctx.write(eventRecordObject(ctx.host, entry));
  },
};

export const winEventCmdlets: CmdletDef[] = [getWinEvent];
