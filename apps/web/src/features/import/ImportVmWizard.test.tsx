import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { VmCompatibilityReport } from '@hvm/engine';
import { DialogHost } from '../../app/DialogHost';
import { useUiStore } from '../../stores/uiStore';
import { aVm } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { IMPORT_PAGES } from './ImportVmWizard';

const report = (
  mode: VmCompatibilityReport['mode'],
  incompatibilities: VmCompatibilityReport['incompatibilities'] = [],
): VmCompatibilityReport => ({
  mode,
  path: 'Exports/WEB-01/Virtual Machines/0a.json',
  vm: { id: '0a' as never, name: 'WEB-01', checkpointCount: 2, state: 'Off' },
  incompatibilities,
});

function openWizard(summaryProblems: VmCompatibilityReport['incompatibilities'] = []) {
  const created = aVm({ name: 'WEB-01 copy' });
  const server = fakeServer({
    'GET /vms': [],
    'POST /vms/import/compare': (request: { body: { mode: VmCompatibilityReport['mode'] } }) => ({
      body: report(request.body.mode, request.body.mode === 'register' ? [] : summaryProblems),
    }),
    'POST /vms/import': created,
  });
  renderWithClient(<DialogHost />);
  useUiStore.getState().openDialog({ kind: 'import-vm' });
  return { server, user: userEvent.setup(), created };
}

describe('Import Virtual Machine wizard', () => {
  it('walks Locate Folder, Select Virtual Machine, Choose Import Type, Choose Destination and Summary, then imports a copy', async () => {
    const { server, user, created } = openWizard();
    const dialog = await screen.findByRole('dialog', { name: 'Import Virtual Machine' });
    const next = () => user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    // Register in place (the first import type) has no Choose Destination page.
    expect(within(dialog).getByRole('list', { name: 'Wizard pages' })).toHaveTextContent(
      IMPORT_PAGES.filter((p) => p !== 'Choose Destination').join(''),
    );
    const folder = within(dialog).getByRole('textbox', { name: 'Folder' });
    await user.clear(folder);
    await user.type(folder, 'Exports/WEB-01');
    await next();
    await within(dialog).findByRole('heading', { name: 'Select Virtual Machine' });
    expect(dialog).toHaveTextContent('WEB-01 (Off, 2 checkpoints)');
    await next();
    await user.click(
      within(dialog).getByRole('radio', {
        name: 'Copy the virtual machine (create a new unique ID)',
      }),
    );
    await user.type(within(dialog).getByRole('textbox', { name: 'New name' }), 'WEB-01 copy');
    await next();
    await within(dialog).findByRole('heading', { name: 'Choose Destination' });
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Virtual hard disk folder' }),
      'Imported',
    );
    await next();
    await within(dialog).findByRole('heading', { name: 'Summary' });
    const finish = within(dialog).getByRole('button', { name: 'Finish' });
    await waitFor(() => expect(finish).toBeEnabled());
    await user.click(finish);
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.requests.filter((r) => r.path === '/vms/import').map((r) => r.body)).toEqual([
      {
        path: 'Exports/WEB-01',
        mode: 'copy',
        newName: 'WEB-01 copy',
        vhdDestinationPath: 'Imported',
      },
    ]);
    expect(useUiStore.getState().selectedVmId).toBe(created.id);
  });

  it('registers in place without the Choose Destination page, and lists what Compare-VM reports with Finish off', async () => {
    const problem = {
      message:
        "A virtual machine with the ID 0A already exists on this host: import 'WEB-01' as a copy with a new ID. (Virtual machine ID 0A)",
      messageId: 40030,
      source: 'Id',
    };
    const { user } = openWizard([problem]);
    const dialog = await screen.findByRole('dialog', { name: 'Import Virtual Machine' });
    const next = () => user.click(within(dialog).getByRole('button', { name: 'Next >' }));
    await next();
    await within(dialog).findByRole('heading', { name: 'Select Virtual Machine' });
    await next();
    await user.click(
      within(dialog).getByRole('radio', {
        name: 'Restore the virtual machine (use the existing unique ID)',
      }),
    );
    await user.click(
      within(dialog).getByRole('radio', {
        name: 'Register the virtual machine in-place (use the existing unique ID)',
      }),
    );
    expect(within(dialog).getByRole('list', { name: 'Wizard pages' })).not.toHaveTextContent(
      'Choose Destination',
    );
    await user.click(
      within(dialog).getByRole('radio', {
        name: 'Restore the virtual machine (use the existing unique ID)',
      }),
    );
    await next();
    await next();
    await within(dialog).findByRole('heading', { name: 'Summary' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(problem.message);
    expect(within(dialog).getByRole('button', { name: 'Finish' })).toBeDisabled();
  });
});
