import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useHostConnection } from '../../stores/hostConnectionStore';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { VmList } from './VmList';

afterEach(() => {
  vi.useRealTimers();
  useHostConnection.getState().setLost(false);
});

describe('a running VM while the connection to the host is lost', () => {
  it('stops advancing its Uptime and turns grey; the figure moves on once it is back', async () => {
    // Only the one-second clock and the date are fake: the fake server still answers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00.000Z'));
    const vm = aVm({ name: 'SQL-PROD-01', state: 'Running', uptimeMs: 60_000 });
    fakeServer({ 'GET /vms': [vm] });
    renderWithClient(<VmList />);
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    const row = (await within(grid).findByText('SQL-PROD-01')).closest('tr');
    if (!row) throw new Error('no row');
    const uptime = () => row.querySelectorAll('td')[4]?.textContent;
    expect(uptime()).toBe('00:01:00');

    act(() => {
      vi.advanceTimersByTime(5_000);
    });
    expect(uptime()).toBe('00:01:05');

    act(() => useHostConnection.getState().setLost(true));
    act(() => {
      vi.advanceTimersByTime(30_000);
    });
    expect(uptime()).toBe('00:01:05');
    expect(row).toHaveClass('stale');

    act(() => useHostConnection.getState().setLost(false));
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(uptime()).toBe('00:01:36');
    expect(row).not.toHaveClass('stale');
  });
});
