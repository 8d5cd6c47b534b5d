import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { DialogHost } from '../app/DialogHost';
import { useUiStore } from '../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId, host, inState } from '../test/fixtures';
import { renderWithClient } from '../test/render';

/**
 * A server whose GETs answer at once and whose POSTs wait until `release()`: what a double click
 * meets while the first request is still running.
 */
function slowServer(routes: Record<string, unknown>) {
  const posts: string[] = [];
  const waiting: (() => void)[] = [];
  const answer = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(href, 'http://localhost').pathname.replace(/^\/api\/v1/, '');
    const method = init?.method ?? 'GET';
    const key = `${method} ${path}`;
    if (method === 'GET') {
      const body = routes[key];
      return Promise.resolve(
        body === undefined
          ? answer({ error: { code: 'NOT_FOUND', message: key } }, 404)
          : answer(body),
      );
    }
    posts.push(key);
    return new Promise<Response>((resolve) => {
      waiting.push(() => resolve(answer(routes[key] ?? null)));
    });
  });
  return {
    posts,
    release: () => {
      for (const finish of waiting.splice(0)) finish();
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

/** Lets every queued promise and timer of the clicks run, so a second request would be sent by now. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

const vm = aVm({ state: 'Off', parentCheckpointId: checkpointId('c1'), checkpointCount: 1 });
const checkpoint = aCheckpoint({ id: checkpointId('c1'), name: 'Before update' });
const routes = {
  'GET /host': host,
  'GET /vms': [vm],
  [`GET /vms/${vm.id}`]: vm,
  [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree([checkpoint], checkpointId('c1')),
  'GET /tasks': [],
  'GET /guest-images': [],
  [`POST /vms/${vm.id}/checkpoints/c1/actions/apply`]: vm,
  [`POST /vms/${vm.id}/actions/start`]: inState(vm, 'Running'),
};

describe('one operation per click', () => {
  it('a double-clicked "Take Checkpoint and Apply" sends one request and shows no error', async () => {
    const server = slowServer(routes);
    renderWithClient(<DialogHost />);
    useUiStore
      .getState()
      .openDialog({ kind: 'apply-checkpoint', vmId: vm.id, checkpointId: checkpointId('c1') });
    const dialog = await screen.findByRole('dialog', { name: 'Apply Checkpoint' });
    const button = within(dialog).getByRole('button', { name: 'Take Checkpoint and Apply' });
    // Two clicks before React renders again, as a fast double click delivers them.
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(() => expect(server.posts).toHaveLength(1));
    await settle();
    expect(server.posts).toEqual([`POST /vms/${vm.id}/checkpoints/c1/actions/apply`]);
    for (const name of ['Take Checkpoint and Apply', 'Apply']) {
      expect(within(dialog).getByRole('button', { name })).toBeDisabled();
    }
    server.release();
    await waitFor(() => expect(useUiStore.getState().dialog).toBeNull());
    expect(server.posts).toHaveLength(1);
  });

  it('a failed request gives the buttons back, so the user can try again', async () => {
    const posts: string[] = [];
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      const href =
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if ((init?.method ?? 'GET') !== 'GET') posts.push(href);
      const failed = { error: { code: 'INVALID_STATE', message: 'The operation failed.' } };
      const body =
        (init?.method ?? 'GET') === 'GET'
          ? routes[`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]
          : failed;
      return Promise.resolve(
        new Response(JSON.stringify(body), {
          status: (init?.method ?? 'GET') === 'GET' ? 200 : 409,
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    });
    renderWithClient(<DialogHost />);
    useUiStore
      .getState()
      .openDialog({ kind: 'apply-checkpoint', vmId: vm.id, checkpointId: checkpointId('c1') });
    const dialog = await screen.findByRole('dialog', { name: 'Apply Checkpoint' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await within(dialog).findByText('The checkpoint could not be applied.');
    await waitFor(() =>
      expect(within(dialog).getByRole('button', { name: 'Apply' })).toBeEnabled(),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(posts).toHaveLength(2));
  });

  it('Start in the Actions pane is disabled while its request runs', async () => {
    const server = slowServer(routes);
    renderWithClient(<App />);
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    const user = userEvent.setup();
    await user.click(await within(grid).findByText(vm.name));
    const actions = await screen.findByRole('region', { name: vm.name });
    const start = within(actions).getByRole('button', { name: 'Start' });
    fireEvent.click(start);
    fireEvent.click(start);
    await waitFor(() => expect(server.posts).toHaveLength(1));
    await settle();
    expect(server.posts).toEqual([`POST /vms/${vm.id}/actions/start`]);
    await waitFor(() =>
      expect(within(actions).getByRole('button', { name: 'Start' })).toBeDisabled(),
    );
    expect(within(actions).getByRole('button', { name: 'Checkpoint' })).toBeDisabled();
    server.release();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.posts).toHaveLength(1);
  });
});
