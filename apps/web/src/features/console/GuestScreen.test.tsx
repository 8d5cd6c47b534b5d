import { fireEvent, render, screen } from '@testing-library/react';
import type { GuestConsole } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import { aVm } from '../../test/fixtures';
import { GuestScreen } from './GuestScreen';

const vm = aVm({ state: 'Running' });

function aGuest(lines: string[], overrides: Partial<GuestConsole> = {}): GuestConsole {
  return {
    vmId: vm.id,
    vmName: vm.name,
    state: 'Running',
    guestImage: 'ubuntu-22.04-postgres',
    os: 'Ubuntu 22.04 LTS',
    application: 'PostgreSQL 14',
    running: true,
    uptimeMs: 1000,
    committedTransactions: 1,
    inFlightTransactions: [],
    dirtyPages: 0,
    boot: { kind: 'clean-start', message: 'Clean start.' },
    replication: null,
    integrationServices: [],
    lines,
    serialConsole: false,
    observedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** jsdom lays nothing out: the console's sizes are set by hand. */
function layOut(node: HTMLElement, scrollHeight: number, clientHeight: number) {
  Object.defineProperty(node, 'scrollHeight', { configurable: true, value: scrollHeight });
  Object.defineProperty(node, 'clientHeight', { configurable: true, value: clientHeight });
}

describe("the guest's screen", () => {
  it('follows new console lines while scrolled to the bottom', () => {
    const { rerender } = render(<GuestScreen vm={vm} guest={aGuest(['one'])} start={undefined} />);
    const log = screen.getByRole('log', { name: 'Console output' });
    layOut(log, 500, 100);
    rerender(<GuestScreen vm={vm} guest={aGuest(['one', 'two'])} start={undefined} />);
    expect(log.scrollTop).toBe(500);
    expect(log).toHaveTextContent('two');
  });

  it('stays where the user scrolled up to, when new lines come', () => {
    const { rerender } = render(<GuestScreen vm={vm} guest={aGuest(['one'])} start={undefined} />);
    const log = screen.getByRole('log', { name: 'Console output' });
    layOut(log, 500, 100);
    log.scrollTop = 120;
    fireEvent.scroll(log);
    rerender(<GuestScreen vm={vm} guest={aGuest(['one', 'two'])} start={undefined} />);
    expect(log.scrollTop).toBe(120);
    // Back at the bottom, it follows again.
    log.scrollTop = 400;
    fireEvent.scroll(log);
    layOut(log, 600, 100);
    rerender(<GuestScreen vm={vm} guest={aGuest(['one', 'two', 'three'])} start={undefined} />);
    expect(log.scrollTop).toBe(600);
  });

  it("reports a domain controller's USN rollback as an alert", () => {
    render(
      <GuestScreen
        vm={vm}
        guest={aGuest([], {
          boot: { kind: 'usn-rollback', message: 'USN rollback detected.' },
          replication: {
            status: 'UsnRollbackDetected',
            message: 'The replication partner detected a USN rollback.',
          },
        })}
        start={undefined}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('detected a USN rollback');
  });

  it('shows "Paused" over the console of a paused VM', () => {
    render(
      <GuestScreen
        vm={{ ...vm, state: 'Paused' }}
        guest={aGuest(['one'], { state: 'Paused' })}
        start={undefined}
      />,
    );
    expect(screen.getByText('Paused')).toBeInTheDocument();
    expect(screen.getByRole('log')).toHaveTextContent('one');
  });
});
