import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DialogHost } from '../../../app/DialogHost';
import { useUiStore } from '../../../stores/uiStore';
import { fakeServer, renderWithClient } from '../../../test/render';
import { NEW_DISK_PAGES } from './NewDiskWizard';

const GB = 1024 ** 3;

function openWizard() {
  const server = fakeServer({
    'GET /host': { name: 'HV-01', virtualHardDiskPath: 'Virtual Hard Disks' },
    'GET /disks': [],
    'POST /disks': (r: { body: { path: string } }) => ({
      status: 201,
      body: { path: r.body.path, type: 'Fixed', chain: [], usedBy: [] },
    }),
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog({ kind: 'new-disk' });
  return { server, user: userEvent.setup() };
}

describe('New Virtual Hard Disk wizard', () => {
  it("creates a fixed-size disk of the chosen size in the host's disk folder", async () => {
    const { server, user } = openWizard();
    const dialog = await screen.findByRole('dialog', { name: 'New Virtual Hard Disk Wizard' });
    const next = () => user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    expect(within(dialog).getByRole('list', { name: 'Wizard pages' })).toHaveTextContent(
      NEW_DISK_PAGES.join(''),
    );
    await next();
    await user.click(within(dialog).getByRole('radio', { name: 'Fixed size' }));
    await next();
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Data.vhdx');
    expect(within(dialog).getByRole('textbox', { name: 'Location' })).toHaveValue(
      'Virtual Hard Disks',
    );
    await next();
    const size = within(dialog).getByRole('spinbutton', { name: 'Size (GB)' });
    await user.clear(size);
    await user.type(size, '10');
    await next();
    expect(dialog).toHaveTextContent('Type:Fixed size');
    expect(dialog).toHaveTextContent('Location:Virtual Hard Disks/Data.vhdx');
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({
        path: '/disks',
        body: { path: 'Virtual Hard Disks/Data.vhdx', sizeBytes: 10 * GB, fixed: true },
      }),
    );
    // Inspect Disk opens on the new file.
    expect(await screen.findByRole('dialog', { name: 'Inspect Disk' })).toBeInTheDocument();
  });

  it('asks a differencing disk for its parent instead of a size', async () => {
    const { server, user } = openWizard();
    const dialog = await screen.findByRole('dialog', { name: 'New Virtual Hard Disk Wizard' });
    const next = () => user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    await next();
    await user.click(within(dialog).getByRole('radio', { name: 'Differencing' }));
    await next();
    await next();
    expect(within(dialog).queryByRole('spinbutton')).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Next >' })).toBeDisabled();
    await user.type(within(dialog).getByRole('textbox', { name: 'Parent' }), 'Disks/base.vhdx');
    await next();
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
        path: 'Virtual Hard Disks/New Virtual Hard Disk.vhdx',
        parentPath: 'Disks/base.vhdx',
      }),
    );
  });
});
