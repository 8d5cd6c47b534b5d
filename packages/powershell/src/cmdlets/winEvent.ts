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

const getWinEvent: CmdletDef = {
  name: 'Get-WinEvent',
  className: 'Microsoft.PowerShell.Commands.GetWinEventCommand',
  // Microsoft's Get-WinEvent reference: [-LogName] <String[]> at position 0, -MaxEvents <Int64>,
  // -Oldest. -FilterHashtable needs hashtables, which this subset does not have yet.
  params: [
    { name: 'LogName', type: 'string[]', position: 0 },
    { name: 'MaxEvents', type: 'int', netType: 'System.Int64' },
    { name: 'Oldest', type: 'switch' },
  ],
  async process(ctx, params) {
    const names = ((params.LogName as unknown[] | undefined) ?? []).map(toPsString);
    const known = names.filter(isVmmsAdmin);
    for (const name of names) if (!isVmmsAdmin(name)) ctx.writeError(noSuchLog(name));
    if (known.length === 0) return;
    const max = typeof params.MaxEvents === 'number' ? params.MaxEvents : Number.POSITIVE_INFINITY;
    // The oldest events are the last pages: -Oldest reads them all (the log is bounded by its file).
    const wanted = params.Oldest === true ? Number.POSITIVE_INFINITY : max;
    const entries: EventLogEntry[] = [];
    for (let offset = 0; entries.length < wanted; offset += PAGE) {
      const page = await ctx.host.queryEventLog({ offset, limit: PAGE });
      entries.push(...page.entries);
      if (offset + PAGE >= page.total) break;
    }
    const chosen = params.Oldest === true ? entries.reverse() : entries;
    const shown = chosen.slice(0, Number.isFinite(max) ? max : chosen.length);
    if (shown.length === 0) ctx.writeError(noEvents());
    for (const entry of shown) ctx.write(eventRecordObject(ctx.host, entry));
  },
};

export const winEventCmdlets: CmdletDef[] = [getWinEvent];
