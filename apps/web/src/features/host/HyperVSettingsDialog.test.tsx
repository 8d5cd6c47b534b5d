import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { HyperVSettingsForm } from './HyperVSettingsDialog';
import { readKeyboardSetting } from './keyboardSetting';

function openSettings() {
  const info = { ...host, virtualHardDiskPath: 'Virtual Hard Disks', virtualMachinePath: '.' };
  const server = fakeServer({
    'GET /host': info,
    'PATCH /host': ({ body }: { body: unknown }) => ({ body: { ...info, ...(body as object) } }),
  });
  const onClose = vi.fn();
  renderWithClient(<HyperVSettingsForm host={info} user="olivia" onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: `Hyper-V Settings for ${info.name}` });
  return { server, onClose, dialog, user: userEvent.setup() };
}

describe('Hyper-V Settings', () => {
  it('shows the Server and User sections and sets the virtual hard disk folder with Set-VMHost on OK', async () => {
    const { dialog, user, server, onClose } = openSettings();
    expect(
      within(dialog)
        .getAllByRole('tab')
        .map((t) => t.textContent),
    ).toEqual(['Virtual Hard Disks', 'Virtual Machines', 'Keyboard']);
    const folder = within(dialog).getByRole('textbox');
    expect(folder).toHaveValue('Virtual Hard Disks');
    await user.clear(folder);
    await user.type(folder, 'Disks');
    await user.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(server.requests).toContainEqual({
      method: 'PATCH',
      path: '/host',
      body: { virtualHardDiskPath: 'Disks', virtualMachinePath: '.' },
    });
  });

  it("keeps the user's Keyboard choice in this browser, without asking the server", async () => {
    const { dialog, user, server } = openSettings();
    await user.click(within(dialog).getByRole('tab', { name: 'Keyboard' }));
    expect(
      within(dialog).getByRole('radio', {
        name: 'Use on the virtual machine only when running full-screen',
      }),
    ).toBeChecked();
    await user.click(within(dialog).getByRole('radio', { name: 'Use on the virtual machine' }));
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    expect(readKeyboardSetting('olivia')).toBe('virtual-machine');
    expect(readKeyboardSetting('someone-else')).toBe('full-screen');
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
