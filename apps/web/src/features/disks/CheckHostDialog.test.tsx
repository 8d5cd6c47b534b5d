import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HostCheckReport } from '@hvm/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, renderWithClient } from '../../test/render';
import { CheckHostDialog } from './CheckHostDialog';

// Issue 17: Check Host lists orphaned files with two explicit actions, Remove (asks first) and,
// for a disk, Attach; both for Administrators only.
const FILE = 'Snapshots/5c4b3a29-1111-4222-8333-444455556666.json';
const DISK = 'Virtual Hard Disks/OLD_7D2A5A3E-1111-4222-8333-444455556666.avhdx';

const report = (orphans: boolean): HostCheckReport => ({
  ok: !orphans,
  checkedAt: '2024-03-05T14:07:09.000Z',
  orphanedDisks: orphans
    ? [
        {
          path: DISK,
          parentPath: 'Virtual Hard Disks/OLD.vhdx',
          reason: 'The differencing disk belongs to no checkpoint and to no virtual machine.',
        },
      ]
    : [],
  orphanedFiles: orphans
    ? [
        {
          path: FILE,
          kind: 'Checkpoint configuration',
          reason: 'The file belongs to no checkpoint and to no virtual machine.',
        },
      ]
    : [],
  brokenChains: [],
  missingFiles: [],
  skippedVms: [],
});

const reader = {
  authentication: 'required',
  signedIn: true,
  user: {
    name: 'olivia',
    role: 'reader',
    roleName: 'Reader',
    virtualMachines: [],
    permissions: ['read', 'readHost'],
  },
  csrfToken: 'token',
  computerName: 'HOST',
};

afterEach(() => vi.unstubAllGlobals());

describe('Check Host actions on orphaned files', () => {
  it('Remove... asks first; Remove deletes the file and the report is checked again', async () => {
    let removed = false;
    const { requests } = fakeServer({
      'GET /host/check': () => ({ body: report(!removed) }),
      'POST /host/orphaned-files/actions/remove': () => {
        removed = true;
        return { status: 204 };
      },
    });
    renderWithClient(<CheckHostDialog />);
    const files = await screen.findByRole('region', { name: 'Orphaned files' });
    expect(files).toHaveTextContent(`${FILE} (Checkpoint configuration)`);

    await userEvent.click(within(files).getByRole('button', { name: `Remove ${FILE}...` }));
    const question = screen.getByRole('dialog', { name: 'Remove Orphaned File' });
    expect(question).toHaveTextContent(`Do you want to delete ${FILE}?`);
    await userEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: `Remove ${FILE}...` }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Orphaned files' })).toBeNull(),
    );
    expect(requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: '/host/orphaned-files/actions/remove', body: { path: FILE } },
    ]);
  });

  it('greys out Remove... and Attach to VM... for a Reader', async () => {
    fakeServer({ 'GET /host/check': report(true), 'GET /session': reader });
    renderWithClient(<CheckHostDialog />);
    const disks = await screen.findByRole('region', { name: 'Orphaned disks' });
    await waitFor(() =>
      expect(within(disks).getByRole('button', { name: `Remove ${DISK}...` })).toBeDisabled(),
    );
    expect(
      within(disks).getByRole('button', { name: `Attach ${DISK} to a virtual machine...` }),
    ).toBeDisabled();
    const files = screen.getByRole('region', { name: 'Orphaned files' });
    expect(within(files).getByRole('button', { name: `Remove ${FILE}...` })).toBeDisabled();
  });
});
