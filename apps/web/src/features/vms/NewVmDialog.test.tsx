import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { GuestImageInfo } from '@hvm/engine';
import { DialogHost } from '../../app/DialogHost';
import { useUiStore } from '../../stores/uiStore';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { BLANK_DISK_CAPTION } from './NewVmDialog';

const images: GuestImageInfo[] = [
  {
    name: 'ubuntu-22.04-postgres',
    caption: 'Ubuntu 22.04 LTS with PostgreSQL 14',
    os: 'Ubuntu 22.04 LTS',
    application: 'PostgreSQL 14',
    integrationServices: true,
    description: 'A database server.',
  },
  {
    name: 'legacy',
    caption: 'Legacy guest without integration services',
    os: 'Legacy OS',
    application: '',
    integrationServices: false,
    description: 'No VSS.',
  },
];

function openWizard() {
  const created = aVm({ name: 'DB-01' });
  const server = fakeServer({
    'GET /guest-images': images,
    'GET /vms': [],
    'GET /host': { name: 'HV', dataLocation: ':memory:', vmCount: 0, maxCheckpointsPerVm: 50 },
    'POST /vms': created,
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog({ kind: 'new-vm' });
  return { server, user: userEvent.setup(), created };
}

describe('New Virtual Machine: Quick Create gallery', () => {
  it('lists the blank disk first, then every gallery image; blank is chosen at first', async () => {
    openWizard();
    const dialog = await screen.findByRole('dialog', { name: 'New Virtual Machine Wizard' });
    const gallery = within(dialog).getByRole('radiogroup', { name: 'Operating system' });
    await within(gallery).findByText('Ubuntu 22.04 LTS with PostgreSQL 14');
    const radios = within(gallery).getAllByRole('radio');
    expect(radios).toHaveLength(3);
    expect(radios[0]).toBeChecked();
    expect(radios[0]).toHaveAccessibleName(new RegExp(BLANK_DISK_CAPTION.replace(/[()]/g, '\\$&')));
    expect(gallery).toHaveTextContent('no integration services');
  });

  it('posts the chosen image as guestImage and selects the new VM', async () => {
    const { server, user, created } = openWizard();
    const dialog = await screen.findByRole('dialog', { name: 'New Virtual Machine Wizard' });
    const name = within(dialog).getByRole('textbox', { name: 'Name:' });
    await user.clear(name);
    await user.type(name, 'DB-01');
    await user.click(
      await within(dialog).findByRole('radio', { name: /Ubuntu 22\.04 LTS with PostgreSQL 14/ }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'DB-01',
      generation: 2,
      memoryStartupMB: 1024,
      guestImage: 'ubuntu-22.04-postgres',
    });
    expect(useUiStore.getState().selectedVmId).toBe(created.id);
  });

  it('posts guestImage null for the blank disk', async () => {
    const { server, user } = openWizard();
    const dialog = await screen.findByRole('dialog', { name: 'New Virtual Machine Wizard' });
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.find((r) => r.method === 'POST')?.body).toMatchObject({
      guestImage: null,
    });
  });
});
