import { useQuery } from '@tanstack/react-query';
import type { EventLevel, EventLogEntry, VmId } from '@hvm/engine';
import { useState, type KeyboardEvent } from 'react';
import { eventLogQuery } from '../../api/eventLog';
import { vmsQuery } from '../../api/vms';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { formatDateTime } from '../../shared/format';
import { useUiStore } from '../../stores/uiStore';
import './eventLog.css';

const LEVELS: readonly EventLevel[] = ['Error', 'Warning', 'Information'];
const PAGE = 100;
const MAX_SHOWN = 1000;

/** Event Viewer's level icons: a red cross, a yellow exclamation mark, a blue "i". */
export function LevelIcon({ level }: { level: EventLevel }) {
  const glyph = level === 'Error' ? '✖' : level === 'Warning' ? '!' : 'i';
  return (
    <span className={`event-level-icon event-level-${level.toLowerCase()}`} aria-hidden="true">
      {glyph}
    </span>
  );
}

function EventDetails({ entry }: { entry: EventLogEntry }) {
  const rows: [string, string][] = [
    ['Log Name', 'Microsoft-Windows-Hyper-V-VMMS-Admin'],
    ['Source', entry.source],
    ['Event ID', String(entry.eventId)],
    ['Level', entry.level],
    ['User', entry.user],
    ['Logged', formatDateTime(entry.time)],
    ['Virtual machine', entry.vmName ?? '(none)'],
    ['Operation', `${entry.operation} (${entry.outcome})`],
  ];
  return (
    <section className="event-details" aria-label={`Event ${entry.eventId}, ${entry.source}`}>
      <p className="event-message" aria-label="Message">
        {entry.message}
      </p>
      <dl className="event-properties">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}:</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * The host's event log, as Event Viewer shows Hyper-V-VMMS > Admin: a dense table of entries,
 * newest first, the selected entry's message below, filters by level and VM. It follows the
 * live event stream (new entries refetch the page).
 */
export function EventLogDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const [levels, setLevels] = useState<readonly EventLevel[]>(LEVELS);
  const [vmId, setVmId] = useState<VmId | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const vms = useQuery(vmsQuery());
  const log = useQuery({
    ...eventLogQuery({ vmId, levels: LEVELS.filter((l) => levels.includes(l)), limit }),
    enabled: levels.length > 0,
  });
  const entries = levels.length > 0 ? (log.data?.entries ?? []) : [];
  const total = levels.length > 0 ? (log.data?.total ?? 0) : 0;
  const selected = entries.find((e) => e.id === selectedId) ?? entries[0] ?? null;

  const toggleLevel = (level: EventLevel, on: boolean) => {
    setLevels((current) => (on ? [...current, level] : current.filter((l) => l !== level)));
    setLimit(PAGE);
  };

  const onTableKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (entries.length === 0) return;
    const at = selected === null ? 0 : entries.indexOf(selected);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? entries.length - 1
          : Math.min(entries.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
    const entry = entries[next];
    if (entry) setSelectedId(entry.id);
    e.currentTarget.querySelectorAll('tr')[next]?.scrollIntoView?.({ block: 'nearest' });
  };

  return (
    <Dialog
      title="Event Viewer - Hyper-V-VMMS Admin"
      onCancel={close}
      width={900}
      className="event-log-dialog"
      buttons={
        <button type="button" className="default-button" onClick={close}>
          Close
        </button>
      }
    >
      <div className="event-filters">
        <fieldset>
          <legend>Event level</legend>
          {LEVELS.map((level) => (
            <label key={level}>
              <input
                type="checkbox"
                checked={levels.includes(level)}
                onChange={(e) => toggleLevel(level, e.target.checked)}
              />
              <LevelIcon level={level} /> {level}
            </label>
          ))}
        </fieldset>
        <label>
          Virtual machine{' '}
          <select
            value={vmId ?? ''}
            onChange={(e) => {
              setVmId(e.target.value === '' ? null : (e.target.value as VmId));
              setLimit(PAGE);
            }}
          >
            <option value="">All virtual machines</option>
            {(vms.data ?? []).map((vm) => (
              <option key={vm.id} value={vm.id}>
                {vm.name}
              </option>
            ))}
          </select>
        </label>
        <span role="status" className="event-count">
          {levels.length === 0
            ? 'Select at least one event level.'
            : log.data
              ? `Number of events: ${total}${entries.length < total ? ` (showing ${entries.length})` : ''}`
              : 'Loading events...'}
        </span>
      </div>
      <ErrorSummary summary="The event log could not be read." error={log.error} />
      <div className="event-table-frame">
        <table className="event-table" role="grid" aria-label="Events" aria-rowcount={total + 1}>
          <thead>
            <tr>
              <th scope="col">Level</th>
              <th scope="col">Date and Time</th>
              <th scope="col">Source</th>
              <th scope="col">Event ID</th>
              <th scope="col">Virtual Machine</th>
              <th scope="col">User</th>
            </tr>
          </thead>
          <tbody tabIndex={0} onKeyDown={onTableKeyDown} aria-label="Event entries">
            {entries.map((entry) => (
              <tr
                key={entry.id}
                aria-selected={entry === selected}
                className={entry === selected ? 'selected' : undefined}
                onClick={() => setSelectedId(entry.id)}
              >
                <td role="gridcell">
                  <LevelIcon level={entry.level} /> {entry.level}
                </td>
                <td role="gridcell">{formatDateTime(entry.time)}</td>
                <td role="gridcell">{entry.source}</td>
                <td role="gridcell">{entry.eventId}</td>
                <td role="gridcell">{entry.vmName ?? ''}</td>
                <td role="gridcell">{entry.user}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length < total && limit < MAX_SHOWN && (
        <button type="button" onClick={() => setLimit((n) => Math.min(MAX_SHOWN, n + PAGE))}>
          Show older events
        </button>
      )}
      {selected ? (
        <EventDetails entry={selected} />
      ) : (
        log.data && levels.length > 0 && <p>There are no events to show.</p>
      )}
    </Dialog>
  );
}
