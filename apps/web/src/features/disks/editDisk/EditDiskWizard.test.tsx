import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DiskFileEntry, DiskInspection } from '@hvm/engine';
import { DialogHost } from '../../../app/DialogHost';
import { useUiStore } from '../../../stores/uiStore';
import { fakeServer, renderWithClient } from '../../../test/render';
import { actionsFor, EDIT_DISK_PAGES } from './editDiskActions';

const MB = 1024 * 1024;
const GB = 1024 * MB;

function disk(path: string, type: DiskInspection['type']): DiskInspection {
  return {
    path,
    format: 'VHDX',
    type,
    virtualSizeBytes: 40 * GB,
    fileSizeBytes: 2 * GB,
    allocatedBytes: 2 * GB,
    logicalSectorSize: 512,
    physicalSectorSize: 4096,
    blockSizeBytes: 32 * MB,
    virtualDiskId: 'a1b2c3d4-0000-0000-0000-000000000001',
    parentPath: type === 'Differencing' ? 'Disks/base.vhdx' : null,
    usedBy: [],
    chain: [],
  };
}

const entry = (d: DiskInspection): DiskFileEntry => ({
  path: d.path,
  extension: d.path.endsWith('.avhdx') ? 'avhdx' : 'vhdx',
  fileSizeBytes: d.fileSizeBytes,
  allocatedBytes: d.allocatedBytes,
  usedBy: [],
});

const dynamic = disk('Disks/data.vhdx', 'Dynamic');
const child = disk('Disks/child.avhdx', 'Differencing');
const fixed = disk('Disks/fixed.vhdx', 'Fixed');

function openWizard(answers: Record<string, unknown> = {}) {
  const server = fakeServer({
    'GET /disks': [dynamic, child, fixed].map(entry),
    ...Object.fromEntries(
      [dynamic, child, fixed].map((d) => [
        `GET /disks/inspect?path=${encodeURIComponent(d.path)}`,
        d,
      ]),
    ),
    ...answers,
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog({ kind: 'edit-disk', path: null });
  return { server, user: userEvent.setup() };
}

async function locate(user: ReturnType<typeof userEvent.setup>, path: string) {
  const dialog = await screen.findByRole('dialog', { name: 'Edit Virtual Hard Disk Wizard' });
  const next = () => user.click(within(dialog).getByRole('button', { name: 'Next >' }));
  await within(dialog).findByRole('heading', { name: 'Before You Begin' });
  await next();
  await user.click(await within(dialog).findByRole('button', { name: path }));
  await next();
  await within(dialog).findByRole('heading', { name: 'Choose Action' });
  return { dialog, next };
}

const actionNames = (dialog: HTMLElement) =>
  within(within(dialog).getByRole('radiogroup'))
    .getAllByRole('radio')
    .map((r) => r.closest('label')?.querySelector('strong')?.textContent);

describe('Edit Virtual Hard Disk wizard', () => {
  it('offers only the actions the disk type allows, as Hyper-V does', () => {
    expect(actionsFor('Dynamic')).toEqual(['compact', 'convert', 'expand']);
    expect(actionsFor('Differencing')).toEqual(['compact', 'merge']);
    expect(actionsFor('Fixed')).toEqual(['convert']);
  });

  it('expands a dynamic disk: Before You Begin, Locate Disk, Choose Action, Configure Disk, Summary, Finish', async () => {
    const { server, user } = openWizard({
      'POST /disks/actions/expand': { ...dynamic, virtualSizeBytes: 60 * GB },
    });
    const { dialog, next } = await locate(user, 'Disks/data.vhdx');
    expect(within(dialog).getByRole('list', { name: 'Wizard pages' })).toHaveTextContent(
      EDIT_DISK_PAGES.join(''),
    );
    expect(actionNames(dialog)).toEqual(['Compact', 'Convert', 'Expand']);
    await user.click(within(dialog).getByRole('radio', { name: /^Expand/ }));
    await next();
    await within(dialog).findByRole('heading', { name: 'Configure Disk' });
    expect(dialog).toHaveTextContent('Current size is 40.0 GB.');
    const size = within(dialog).getByRole('spinbutton', { name: 'New size (GB)' });
    await user.type(size, '30');
    // Expand only grows: 30 GB is below the current size.
    expect(within(dialog).getByRole('button', { name: 'Next >' })).toBeDisabled();
    await user.clear(size);
    await user.type(size, '60');
    await next();
    await within(dialog).findByRole('heading', { name: 'Summary' });
    expect(dialog).toHaveTextContent('New size:60.0 GB');
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: '/disks/actions/expand',
      body: { path: 'Disks/data.vhdx', sizeBytes: 60 * GB },
    });
  });

  it('compacts a differencing disk straight from Choose Action to Summary (Optimize-VHD Full)', async () => {
    const { server, user } = openWizard({ 'POST /disks/actions/compact': child });
    const { dialog, next } = await locate(user, 'Disks/child.avhdx');
    expect(actionNames(dialog)).toEqual(['Compact', 'Merge']);
    await user.click(within(dialog).getByRole('radio', { name: /^Compact/ }));
    expect(within(dialog).getByRole('list', { name: 'Wizard pages' })).not.toHaveTextContent(
      'Configure Disk',
    );
    await next();
    await within(dialog).findByRole('heading', { name: 'Summary' });
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: '/disks/actions/compact',
      body: { path: 'Disks/child.avhdx', mode: 'Full' },
    });
  });

  it('converts a fixed disk (its one action) into a new dynamic file beside it', async () => {
    const { server, user } = openWizard({
      'POST /disks/actions/convert': () => ({ status: 201, body: { ...fixed, type: 'Dynamic' } }),
    });
    const { dialog, next } = await locate(user, 'Disks/fixed.vhdx');
    expect(within(dialog).getByRole('radio', { name: /^Convert/ })).toBeChecked();
    await next();
    expect(within(dialog).getByRole('radio', { name: 'Dynamically expanding' })).toBeChecked();
    expect(within(dialog).getByRole('textbox', { name: 'New virtual hard disk' })).toHaveValue(
      'Disks/fixed-dynamic.vhdx',
    );
    await next();
    await user.click(await within(dialog).findByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: '/disks/actions/convert',
      body: {
        path: 'Disks/fixed.vhdx',
        destinationPath: 'Disks/fixed-dynamic.vhdx',
        vhdType: 'Dynamic',
      },
    });
  });

  it("shows the server's refusal and stays open: a running VM's disk cannot be merged", async () => {
    const message =
      'The process cannot access the file because it is being used by another process. (0x80070020)';
    const { user } = openWizard({
      'POST /disks/actions/merge': () => ({
        status: 409,
        body: { error: { code: 'INVALID_STATE', message } },
      }),
    });
    const { dialog, next } = await locate(user, 'Disks/child.avhdx');
    await user.click(within(dialog).getByRole('radio', { name: /^Merge/ }));
    await next();
    expect(
      within(dialog).getByRole('radio', { name: 'To the parent virtual hard disk' }),
    ).toBeChecked();
    await next();
    await user.click(await within(dialog).findByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(dialog).toHaveTextContent(message));
    expect(dialog).toHaveTextContent('The virtual hard disk could not be edited.');
  });
});
