import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DiskFileEntry, DiskInspection } from '@hvm/engine';
import { DialogHost } from '../../app/DialogHost';
import { useUiStore } from '../../stores/uiStore';
import { fakeServer, renderWithClient } from '../../test/render';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/** Issue 16: a new checkpoint's .avhdx is 37 MB long but occupies 376 KB (it is sparse). */
const avhdx: DiskFileEntry = {
  path: 'Virtual Hard Disks/WEB-01_6C0B2E1A-1111-2222-3333-444455556666.avhdx',
  extension: 'avhdx',
  fileSizeBytes: 37 * MB,
  allocatedBytes: 376 * KB,
  usedBy: [],
};
const vhdx: DiskFileEntry = {
  path: 'Virtual Hard Disks/WEB-01.vhdx',
  extension: 'vhdx',
  fileSizeBytes: 4 * GB,
  allocatedBytes: 3 * GB,
  usedBy: [],
};

const inspection = (entry: DiskFileEntry): DiskInspection => ({
  path: entry.path,
  format: 'VHDX',
  type: entry.extension === 'avhdx' ? 'Differencing' : 'Dynamic',
  virtualSizeBytes: 127 * GB,
  fileSizeBytes: entry.fileSizeBytes,
  allocatedBytes: entry.allocatedBytes,
  logicalSectorSize: 512,
  physicalSectorSize: 4096,
  blockSizeBytes: 32 * MB,
  virtualDiskId: 'a1b2c3d4-0000-0000-0000-000000000001',
  parentPath: entry.extension === 'avhdx' ? vhdx.path : null,
  usedBy: [],
  chain: [],
});

function openInspectDisk() {
  fakeServer({
    'GET /disks': [vhdx, avhdx],
    [`GET /disks/inspect?path=${encodeURIComponent(avhdx.path)}`]: inspection(avhdx),
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog({ kind: 'inspect-disk', path: null });
  return userEvent.setup();
}

describe('Inspect Disk', () => {
  it("lists each disk with its current file size, the same the properties show, not the file's length", async () => {
    const user = openInspectDisk();
    const dialog = await screen.findByRole('dialog', { name: 'Inspect Disk' });
    const list = within(dialog).getByRole('list', { name: 'Virtual hard disks on this host:' });
    const item = (await within(list).findByText(/WEB-01_6C0B2E1A/)).closest('li');
    expect(item).not.toBeNull();
    expect(item).toHaveTextContent('376 KB');
    expect(item).not.toHaveTextContent('37.0 MB');
    await user.click(within(item as HTMLElement).getByRole('button'));
    const properties = await within(dialog).findByRole('region', { name: 'Disk properties' });
    expect(within(properties).getByTestId('disk-property-current-file-size')).toHaveTextContent(
      'Current File Size:376 KB',
    );
    expect(within(properties).getByTestId('disk-property-maximum-disk-size')).toHaveTextContent(
      'Maximum Disk Size:127 GB',
    );
  });

  it('shows full paths as the server gives them, with a place to wrap after each folder separator', async () => {
    const user = openInspectDisk();
    const dialog = await screen.findByRole('dialog', { name: 'Inspect Disk' });
    await user.click(await within(dialog).findByRole('button', { name: avhdx.path }));
    const location = await within(dialog).findByTestId('disk-property-location');
    expect(location).toHaveTextContent(avhdx.path);
    expect(location.querySelectorAll('wbr')).toHaveLength(1);
  });

  it('lays out its list without bullets and its values without breaking inside words', () => {
    const css = readFileSync(resolve(__dirname, 'disks.css'), 'utf8');
    const list = /\.disk-list \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(list).toMatch(/list-style:\s*none/);
    expect(list).toMatch(/padding:\s*0/);
    const values = /\.disk-properties dd \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(values).not.toMatch(/word-break:\s*break-all/);
    expect(values).toMatch(/overflow-wrap:\s*anywhere/);
  });
});
