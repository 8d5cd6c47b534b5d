import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aVm, host } from '../test/fixtures';
import { fakeServer, renderWithClient } from '../test/render';
import { App } from './App';

/** A stand-in for the browser's EventSource: the test says when it opens and when it drops. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  private readonly listeners = new Map<string, ((e: Event) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (e: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.listeners.clear();
  }
  emit(type: 'open' | 'error') {
    for (const l of this.listeners.get(type) ?? []) l(new Event(type));
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeEventSource.last = null;
});

async function showManager() {
  vi.stubGlobal('EventSource', FakeEventSource);
  const vm = aVm({
    name: 'SQL-PROD-01',
    state: 'Running',
    memoryAssignedMB: 2048,
    uptimeMs: 60_000,
  });
  const server = fakeServer({ 'GET /host': host, 'GET /vms': [vm], [`GET /vms/${vm.id}`]: vm });
  renderWithClient(<App />);
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  await within(grid).findByText('SQL-PROD-01');
  const stream = FakeEventSource.last;
  if (!stream) throw new Error('no event stream');
  act(() => stream.emit('open'));
  return { grid, server, stream };
}

const vmReads = (server: { requests: { method: string; path: string }[] }) =>
  server.requests.filter((r) => r.method === 'GET' && r.path === '/vms').length;

describe('a lost connection to the host', () => {
  it('shows a banner and marks the list out of date while the event stream is down', async () => {
    const { grid, stream } = await showManager();
    expect(screen.queryByText(/connection to the host was lost/)).not.toBeInTheDocument();
    act(() => stream.emit('error'));
    expect(await screen.findByText(/connection to the host was lost/)).toBeInTheDocument();
    expect(grid).toHaveAttribute('aria-busy', 'true');
    expect(within(grid).getByText('SQL-PROD-01').closest('tr')).toHaveClass('stale');
  });

  it('hides the banner and reads everything again when the stream is back', async () => {
    const { grid, stream, server } = await showManager();
    act(() => stream.emit('error'));
    await screen.findByText(/connection to the host was lost/);
    const before = vmReads(server);
    act(() => stream.emit('open'));
    await waitFor(() =>
      expect(screen.queryByText(/connection to the host was lost/)).not.toBeInTheDocument(),
    );
    await waitFor(() => expect(vmReads(server)).toBeGreaterThan(before));
    expect(grid).not.toHaveAttribute('aria-busy');
  });
});
