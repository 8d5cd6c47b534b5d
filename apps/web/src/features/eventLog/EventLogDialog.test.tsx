import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { EventLogEntry, EventLogPage } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import { applyHostEvent } from '../../api/events';
import { aVm, host, vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { DialogHost } from '../../app/DialogHost';
import { ActionsPane } from '../actions/ActionsPane';
import { EventLogDialog } from './EventLogDialog';

const sql = aVm({ id: vmId('11111111-1111-1111-1111-111111111111'), name: 'SQL-PROD-01' });
const web = aVm({ id: vmId('22222222-2222-2222-2222-222222222222'), name: 'WEB01' });

function nth<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

let nextId = 1;
function anEntry(overrides: Partial<EventLogEntry> = {}): EventLogEntry {
  const id = nextId++;
  return {
    id,
    time: '2024-03-05T14:07:09.000Z',
    level: 'Information',
    eventId: 18300,
    source: 'Hyper-V-VMMS',
    user: 'HV-HOST\\Administrator',
    vmName: 'SQL-PROD-01',
    vmId: sql.id,
    operation: 'Create checkpoint',
    outcome: 'Succeeded',
    message: `'SQL-PROD-01' successfully created checkpoint 'Before patch ${id}'.`,
    ...overrides,
  };
}

const page = (entries: EventLogEntry[], total = entries.length): EventLogPage => ({
  entries,
  total,
  offset: 0,
  limit: 100,
});

const failed = anEntry({
  level: 'Error',
  eventId: 18301,
  vmName: 'WEB01',
  vmId: web.id,
  user: 'CONTOSO\\alice',
  outcome: 'Failed',
  message: "Checkpoint operation for 'WEB01' failed. Checkpoints have been disabled for 'WEB01'.",
});
const created = anEntry();
const fellBack = anEntry({
  level: 'Warning',
  eventId: 18302,
  message:
    "Production checkpoints cannot be created for 'SQL-PROD-01': the guest has no Backup service.",
});

describe('Event Viewer (Hyper-V-VMMS Admin)', () => {
  it('lists entries in a table with level, date and time, source, event ID, VM and user', async () => {
    fakeServer({
      'GET /vms': [sql, web],
      'GET /event-log?limit=100': page([failed, fellBack, created]),
    });
    renderWithClient(<EventLogDialog />);
    expect(
      screen.getByRole('dialog', { name: 'Event Viewer - Hyper-V-VMMS Admin' }),
    ).toBeInTheDocument();
    const table = await screen.findByRole('grid', { name: 'Events' });
    await within(table).findByText('18301');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual([
      'Level',
      'Date and Time',
      'Source',
      'Event ID',
      'Virtual Machine',
      'User',
    ]);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const cells = within(nth(rows, 0))
      .getAllByRole('gridcell')
      .map((c) => c.textContent?.trim());
    expect(cells).toEqual([
      '✖ Error',
      '3/5/2024 2:07:09 PM',
      'Hyper-V-VMMS',
      '18301',
      'WEB01',
      'CONTOSO\\alice',
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('Number of events: 3');
    // The newest entry is selected: its message shows below.
    expect(rows[0]).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByLabelText('Message')).toHaveTextContent(
      "Checkpoint operation for 'WEB01' failed.",
    );
  });

  it('shows the message and properties of the entry picked with the mouse or the arrow keys', async () => {
    const user = userEvent.setup();
    fakeServer({
      'GET /vms': [sql, web],
      'GET /event-log?limit=100': page([failed, fellBack, created]),
    });
    renderWithClient(<EventLogDialog />);
    const table = await screen.findByRole('grid', { name: 'Events' });
    await within(table).findByText('18301');
    const rows = within(table).getAllByRole('row').slice(1);
    await user.click(nth(rows, 2));
    expect(rows[2]).toHaveAttribute('aria-selected', 'true');
    const details = screen.getByRole('region', { name: 'Event 18300, Hyper-V-VMMS' });
    expect(within(details).getByLabelText('Message')).toHaveTextContent(created.message);
    expect(within(details).getByText('HV-HOST\\Administrator')).toBeInTheDocument();
    expect(within(details).getByText('Create checkpoint (Succeeded)')).toBeInTheDocument();

    await user.keyboard('{ArrowUp}');
    expect(rows[1]).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByLabelText('Message')).toHaveTextContent(
      'Production checkpoints cannot be created',
    );
    await user.keyboard('{Home}');
    expect(rows[0]).toHaveAttribute('aria-selected', 'true');
  });

  it('filters by level and by virtual machine through the API', async () => {
    const user = userEvent.setup();
    const { requests } = fakeServer({
      'GET /vms': [sql, web],
      'GET /event-log?limit=100': page([failed, fellBack, created]),
      'GET /event-log?level=Error%2CWarning&limit=100': page([failed, fellBack]),
      [`GET /event-log?vmId=${web.id}&level=Error%2CWarning&limit=100`]: page([failed]),
    });
    renderWithClient(<EventLogDialog />);
    await screen.findByRole('grid', { name: 'Events' });
    const levels = screen.getByRole('group', { name: 'Event level' });
    await user.click(within(levels).getByRole('checkbox', { name: 'Information' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Number of events: 2'),
    );
    await user.selectOptions(screen.getByRole('combobox', { name: 'Virtual machine' }), 'WEB01');
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Number of events: 1'),
    );
    expect(requests.map((r) => r.path)).toContain(
      `/event-log?vmId=${web.id}&level=Error%2CWarning&limit=100`,
    );
    await user.click(within(levels).getByRole('checkbox', { name: 'Error' }));
    await user.click(within(levels).getByRole('checkbox', { name: 'Warning' }));
    expect(screen.getByRole('status')).toHaveTextContent('Select at least one event level.');
    expect(within(screen.getByRole('grid', { name: 'Events' })).getAllByRole('row')).toHaveLength(
      1,
    );
  });

  it('follows the live stream: a new entry appears without closing the dialog', async () => {
    let entries = [created];
    fakeServer({
      'GET /vms': [sql],
      'GET /event-log?limit=100': () => ({ body: page(entries) }),
    });
    const { queryClient } = renderWithClient(<EventLogDialog />);
    const table = await screen.findByRole('grid', { name: 'Events' });
    await within(table).findByText('18300');
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    const newer = anEntry({ message: "'SQL-PROD-01' was turned off.", eventId: 18502 });
    entries = [newer, created];
    applyHostEvent(queryClient, { type: 'event-logged', entry: newer });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(within(table).getByText('18502')).toBeInTheDocument();
  });

  it('offers older events a page at a time', async () => {
    const user = userEvent.setup();
    const { requests } = fakeServer({
      'GET /vms': [sql],
      'GET /event-log?limit=100': page([created], 150),
      'GET /event-log?limit=200': page([created, fellBack], 150),
    });
    renderWithClient(<EventLogDialog />);
    await user.click(await screen.findByRole('button', { name: 'Show older events' }));
    await waitFor(() => expect(requests.map((r) => r.path)).toContain('/event-log?limit=200'));
  });

  it('opens from the host section of the Actions pane and closes with Close', async () => {
    const user = userEvent.setup();
    fakeServer({ 'GET /host': host, 'GET /vms': [], 'GET /event-log?limit=100': page([]) });
    renderWithClient(
      <>
        <ActionsPane />
        <DialogHost />
      </>,
    );
    const section = await screen.findByRole('region', { name: 'HV-HOST-01' });
    await user.click(within(section).getByRole('button', { name: 'Event Log...' }));
    const dialog = screen.getByRole('dialog', { name: 'Event Viewer - Hyper-V-VMMS Admin' });
    expect(await within(dialog).findByText('There are no events to show.')).toBeInTheDocument();
    expect(within(dialog).getByRole('status')).toHaveTextContent('Number of events: 0');
    const buttons = within(dialog).getAllByRole('button', { name: 'Close' });
    await user.click(nth(buttons, buttons.length - 1));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
