import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DiskFileEntry, GuestImageInfo } from '@hvm/engine';
import { DialogHost } from '../../app/DialogHost';
import { useUiStore } from '../../stores/uiStore';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { INSTALL_LATER_CAPTION, NEW_VM_PAGES } from './newVmModel';

const images: GuestImageInfo[] = [
  {
    name: 'ubuntu-22.04-postgres',
    caption: 'Ubuntu 22.04 LTS with PostgreSQL 14',
    os: 'Ubuntu 22.04 LTS',
    application: 'PostgreSQL 14',
    integrationServices: true,
    description: 'A database server.',
  },
];

const disks: DiskFileEntry[] = [
  {
    path: 'Brought/app.vhdx',
    extension: 'vhdx',
    fileSizeBytes: 4_194_304,
    allocatedBytes: 4_194_304,
    usedBy: [],
  },
];

const DEFAULT_SWITCH = 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444';
const ADAPTER = 'a0000000-0000-4000-8000-000000000001';
const switches = [
  {
    id: DEFAULT_SWITCH,
    name: 'Default Switch',
    switchType: 'Internal',
    notes: '',
    connectedVms: 0,
  },
  { id: 'lab-switch', name: 'Lab', switchType: 'Private', notes: '', connectedVms: 0 },
];

function openWizard() {
  // As the server answers: a new VM's adapter is on the Default Switch.
  const created = {
    ...aVm({ name: 'DB-01' }),
    networkAdapters: [
      {
        id: ADAPTER,
        name: 'Network Adapter',
        isLegacy: false,
        switchId: DEFAULT_SWITCH,
        switchName: 'Default Switch',
        macAddress: '00155D000001',
        dynamicMacAddressEnabled: true,
      },
    ],
  };
  const server = fakeServer({
    'GET /guest-images': images,
    'GET /vms': [],
    'GET /disks': disks,
    'GET /host': {
      name: 'HV',
      dataLocation: ':memory:',
      vmCount: 0,
      maxCheckpointsPerVm: 50,
      virtualHardDiskPath: 'Virtual Hard Disks',
    },
    'GET /virtual-switches': switches,
    'POST /vms': created,
    [`PATCH /vms/${created.id}`]: created,
    [`POST /vms/${created.id}/network-adapters/${ADAPTER}/actions/connect`]: created,
    [`POST /vms/${created.id}/network-adapters/${ADAPTER}/actions/disconnect`]: created,
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog({ kind: 'new-vm' });
  return { server, user: userEvent.setup(), created };
}

async function wizard() {
  return screen.findByRole('dialog', { name: 'New Virtual Machine Wizard' });
}

function page(dialog: HTMLElement, name: string) {
  return within(dialog).getByRole('region', { name });
}

const posted = (server: ReturnType<typeof fakeServer>) =>
  server.requests.find((r) => r.method === 'POST')?.body;
const adapterRequests = (server: ReturnType<typeof fakeServer>) =>
  server.requests.filter((r) => r.path.includes('/network-adapters/')).map((r) => r.path);

describe('New Virtual Machine Wizard', () => {
  it("opens on Before You Begin with Hyper-V's pages listed; Next and Previous walk them", async () => {
    const { user } = openWizard();
    const dialog = await wizard();
    const steps = within(within(dialog).getByRole('navigation', { name: 'Wizard pages' }))
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(steps).toEqual([...NEW_VM_PAGES]);
    expect(page(dialog, 'Before You Begin')).toHaveTextContent('Click Finish');
    expect(within(dialog).getByRole('button', { name: '< Previous' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    const name = within(page(dialog, 'Specify Name and Location')).getByRole('textbox', {
      name: 'Name:',
    });
    expect(name).toHaveValue('New Virtual Machine');
    await waitFor(() => expect(name).toHaveFocus());
    await user.click(within(dialog).getByRole('button', { name: '< Previous' }));
    expect(page(dialog, 'Before You Begin')).toBeVisible();
  });

  it('Finish on the first page creates a VM with the defaults: Generation 1, 1024 MB, a new 127 GB disk named after the VM', async () => {
    const { server, user, created } = openWizard();
    const dialog = await wizard();
    await waitFor(() => expect(server.requests.some((r) => r.path === '/host')).toBe(true));
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(posted(server)).toEqual({
      name: 'New Virtual Machine',
      generation: 1,
      memoryStartupMB: 1024,
      newVhdPath: 'Virtual Hard Disks/New Virtual Machine.vhdx',
      diskSizeBytes: 127 * 1024 ** 3,
      guestImage: null,
      dynamicMemoryEnabled: false,
      // Not Connected, the page's default.
      switchId: null,
    });
    expect(useUiStore.getState().selectedVmId).toBe(created.id);
    // One request creates the VM as chosen: nothing is sent after it.
    expect(adapterRequests(server)).toEqual([]);
    expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it("Configure Networking lists the host's switches; the one chosen is in the Summary and the adapter is connected to it", async () => {
    const { server, user } = openWizard();
    const dialog = await wizard();
    await user.click(within(dialog).getByRole('button', { name: 'Configure Networking' }));
    const connection = within(page(dialog, 'Configure Networking')).getByRole('combobox', {
      name: 'Connection:',
    });
    await within(connection).findByRole('option', { name: 'Lab' });
    expect(
      within(connection)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Not Connected', 'Default Switch', 'Lab']);
    await user.selectOptions(connection, 'Lab');
    await user.click(within(dialog).getByRole('button', { name: 'Summary' }));
    expect(page(dialog, 'Summary')).toHaveTextContent('Network:Lab');
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(posted(server)).toMatchObject({ switchId: 'lab-switch' });
    expect(server.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it('memory that is not a multiple of 2 MB is shown in place, keeps Next from moving on, and the message goes once fixed', async () => {
    const { user } = openWizard();
    const dialog = await wizard();
    await user.click(within(dialog).getByRole('button', { name: 'Assign Memory' }));
    const memoryPage = page(dialog, 'Assign Memory');
    const memory = within(memoryPage).getByRole('textbox', { name: /Startup memory/ });
    await user.clear(memory);
    await user.type(memory, '1025');
    expect(within(memoryPage).queryByRole('alert')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    expect(page(dialog, 'Assign Memory')).toBeVisible();
    expect(within(memoryPage).getByRole('alert')).toHaveTextContent(
      'Startup memory must be a multiple of 2 MB.',
    );
    expect(memory).toHaveAttribute('aria-invalid', 'true');
    expect(memory).toHaveAccessibleDescription('Startup memory must be a multiple of 2 MB.');
    await user.type(memory, '{Backspace}6');
    expect(within(memoryPage).queryByRole('alert')).toBeNull();
    expect(memory).toHaveAttribute('aria-invalid', 'false');
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    expect(page(dialog, 'Configure Networking')).toBeVisible();
  });

  it('Finish with an empty name opens Specify Name and Location with the problem beside the field', async () => {
    const { server, user } = openWizard();
    const dialog = await wizard();
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    await user.clear(within(dialog).getByRole('textbox', { name: 'Name:' }));
    await user.click(within(dialog).getByRole('button', { name: 'Summary' }));
    expect(within(page(dialog, 'Specify Name and Location')).getByRole('alert')).toHaveTextContent(
      'The name must be 1 to 100 characters long.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    expect(posted(server)).toBeUndefined();
    await user.type(within(dialog).getByRole('textbox', { name: 'Name:' }), 'W');
    expect(within(page(dialog, 'Specify Name and Location')).queryByRole('alert')).toBeNull();
  });

  it('Use an existing virtual hard disk posts vhdPath; the gallery then waits for a new disk; Summary says what will be made', async () => {
    const { server, user } = openWizard();
    const dialog = await wizard();
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    const name = within(dialog).getByRole('textbox', { name: 'Name:' });
    await user.clear(name);
    await user.type(name, 'APP');
    await user.click(within(dialog).getByRole('button', { name: 'Connect Virtual Hard Disk' }));
    const diskPage = page(dialog, 'Connect Virtual Hard Disk');
    await user.click(
      within(diskPage).getByRole('radio', { name: 'Use an existing virtual hard disk' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    expect(within(diskPage).getByRole('alert')).toHaveTextContent('.vhdx or .avhdx');
    await user.type(
      within(diskPage).getByRole('combobox', { name: 'Location:' }),
      'Brought/app.vhdx',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    const install = page(dialog, 'Installation Options');
    expect(
      await within(install).findByRole('radio', { name: /Ubuntu 22\.04 LTS with PostgreSQL 14/ }),
    ).toBeDisabled();
    expect(within(install).getByRole('radio', { name: INSTALL_LATER_CAPTION })).toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    expect(page(dialog, 'Summary')).toHaveTextContent('Hard Disk:Brought/app.vhdx');
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(posted(server)).toEqual({
      name: 'APP',
      generation: 1,
      memoryStartupMB: 1024,
      vhdPath: 'Brought/app.vhdx',
      dynamicMemoryEnabled: false,
      switchId: null,
    });
  });

  it('Attach a virtual hard disk later posts noVhd; Generation 2 and Dynamic Memory are applied', async () => {
    const { server, user } = openWizard();
    const dialog = await wizard();
    await user.click(within(dialog).getByRole('button', { name: 'Specify Generation' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Generation 2' }));
    await user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    await user.click(
      within(dialog).getByRole('checkbox', {
        name: 'Use Dynamic Memory for this virtual machine.',
      }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Connect Virtual Hard Disk' }));
    await user.click(
      within(dialog).getByRole('radio', { name: 'Attach a virtual hard disk later' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(posted(server)).toEqual({
      name: 'New Virtual Machine',
      generation: 2,
      memoryStartupMB: 1024,
      noVhd: true,
      dynamicMemoryEnabled: true,
      switchId: null,
    });
    expect(server.requests.find((r) => r.method === 'PATCH')).toBeUndefined();
  });

  it('a gallery image goes with a new disk as guestImage', async () => {
    const { server, user } = openWizard();
    const dialog = await wizard();
    await user.click(within(dialog).getByRole('button', { name: 'Installation Options' }));
    await user.click(
      await within(dialog).findByRole('radio', { name: /Ubuntu 22\.04 LTS with PostgreSQL 14/ }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(posted(server)).toMatchObject({ guestImage: 'ubuntu-22.04-postgres' });
  });
});
