import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { aTree, aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';

/** The Summary tab's Heartbeat, as the engine reports it (behaviour spec R34, §8 details pane). */
async function heartbeatShown(vm: ReturnType<typeof aVm>): Promise<string | null | undefined> {
  fakeServer({
    'GET /host': host,
    'GET /vms': [vm],
    [`GET /vms/${vm.id}`]: vm,
    [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([], null),
    'GET /tasks': [],
    'GET /guest-images': [],
  });
  renderWithClient(<App />);
  const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
  await userEvent.setup().click(await within(grid).findByText(vm.name));
  const details = await screen.findByRole('region', { name: `Details for ${vm.name}` });
  const label = await within(details).findByText('Heartbeat:');
  return label.nextElementSibling?.textContent;
}

describe("the details pane's Heartbeat", () => {
  it('shows "No Contact" for a running guest that does not answer', async () => {
    const vm = aVm({
      state: 'Running',
      guestImage: 'legacy-no-integration',
      heartbeat: 'NoContact',
      integrationServicesInContact: false,
    });
    expect(await heartbeatShown(vm)).toBe('No Contact');
  });

  it('shows "OK" for a running guest that answers', async () => {
    const vm = aVm({
      state: 'Running',
      guestImage: 'windows-server-2016-sql',
      heartbeat: 'OkApplicationsUnknown',
      integrationServicesInContact: true,
    });
    expect(await heartbeatShown(vm)).toBe('OK');
  });
});
