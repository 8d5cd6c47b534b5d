import { screen } from '@testing-library/react';
import type { GuestConsole } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import { vmId } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { VmConnectionDialog } from './VmConnectionDialog';

const id = vmId('11111111-1111-1111-1111-111111111111');

function aConsole(overrides: Partial<GuestConsole> = {}): GuestConsole {
  return {
    vmId: id,
    vmName: 'SQL-PROD-01',
    state: 'Running',
    guestImage: 'windows-server-2016-sql',
    os: 'Windows Server 2016 Datacenter',
    application: 'SQL Server 2016 (MSSQLSERVER)',
    running: true,
    uptimeMs: 3_725_000,
    committedTransactions: 42,
    inFlightTransactions: [43, 44, 45],
    dirtyPages: 3,
    boot: {
      kind: 'resumed',
      message: 'Resumed from saved state: 3 in-flight transactions continue, 42 committed.',
    },
    replication: null,
    integrationServices: [],
    lines: ['[00:00:00] Windows Server 2016 Datacenter starting.'],
    observedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('Virtual Machine Connection', () => {
  it('shows uptime, committed and in-flight transactions and what the guest did at boot', async () => {
    fakeServer({ [`GET /vms/${id}/console`]: aConsole() });
    renderWithClient(<VmConnectionDialog vmId={id} />);
    expect(
      await screen.findByRole('dialog', { name: 'SQL-PROD-01 - Virtual Machine Connection' }),
    ).toBeInTheDocument();
    expect(screen.getByText('01:02:05')).toBeInTheDocument();
    expect(screen.getByText('42')).toBeInTheDocument();
    expect(screen.getByText('43, 44, 45')).toBeInTheDocument();
    expect(screen.getByTestId('console-boot')).toHaveTextContent('Resumed from saved state');
  });

  it("reports a domain controller's USN rollback as an alert", async () => {
    fakeServer({
      [`GET /vms/${id}/console`]: aConsole({
        boot: { kind: 'usn-rollback', message: 'USN rollback detected.' },
        replication: {
          status: 'UsnRollbackDetected',
          message: 'The replication partner detected a USN rollback.',
        },
      }),
    });
    renderWithClient(<VmConnectionDialog vmId={id} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('detected a USN rollback');
  });

  it('says when the guest is not running', async () => {
    fakeServer({
      [`GET /vms/${id}/console`]: aConsole({ running: false, state: 'Off', boot: null }),
    });
    renderWithClient(<VmConnectionDialog vmId={id} />);
    expect(
      await screen.findByText("The virtual machine 'SQL-PROD-01' is off."),
    ).toBeInTheDocument();
  });
});
