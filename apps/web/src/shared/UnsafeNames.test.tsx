import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { useUiStore } from '../stores/uiStore';
import { aCheckpoint, aTree, aVm, checkpointId, host } from '../test/fixtures';
import { fakeServer, renderWithClient } from '../test/render';

const HOSTILE = [
  `"Quoted" 'name' & <b>bold</b>`,
  '<script>window.__pwned = true</script>',
  '<img src=x onerror="window.__pwned=true">',
  'שרת אינטרנט ‮gnp.exe',
  'Server 🚀🔥 👩‍💻',
];

describe('names with any characters are shown as text', () => {
  it('in the VM list, the checkpoints tree, the details pane, menus and dialog titles', async () => {
    const vm = aVm({ name: HOSTILE[1] ?? '', parentCheckpointId: checkpointId('c1') });
    const others = HOSTILE.filter((_, i) => i !== 1).map((name, i) =>
      aVm({ id: `vm-${i}` as never, name }),
    );
    const checkpoints = HOSTILE.map((name, i) =>
      aCheckpoint({
        id: checkpointId(`c${i + 1}`),
        name,
        parentId: i === 0 ? null : checkpointId(`c${i}`),
      }),
    );
    fakeServer({
      'GET /host': host,
      'GET /vms': [vm, ...others],
      [`GET /vms/${vm.id}`]: vm,
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree(
        checkpoints,
        checkpointId('c5'),
      ),
      [`GET /vms/${vm.id}/checkpoints/c5`]: checkpoints[4],
      'GET /tasks': [],
      'GET /guest-images': [],
    });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    for (const name of HOSTILE) expect(await within(grid).findByText(name)).toBeInTheDocument();
    expect(document.querySelector('script')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();

    await user.click(within(grid).getByText(HOSTILE[1] ?? ''));
    const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
    for (const name of HOSTILE) {
      expect(within(tree).getByRole('treeitem', { name })).toBeInTheDocument();
    }
    expect(screen.getByRole('region', { name: `Details for ${HOSTILE[1] ?? ''}` })).toBeTruthy();

    useUiStore.getState().openDialog({ kind: 'settings', vmId: vm.id });
    expect(
      await screen.findByRole('dialog', { name: `Settings for ${HOSTILE[1] ?? ''}` }),
    ).toBeInTheDocument();
    useUiStore.getState().openDialog({
      kind: 'delete-checkpoint',
      vmId: vm.id,
      checkpointId: checkpointId('c4'),
      subtree: false,
    });
    const del = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    expect(del).toHaveTextContent(HOSTILE[3] ?? '');
    useUiStore.getState().openDialog({
      kind: 'checkpoint-settings',
      vmId: vm.id,
      checkpointId: checkpointId('c5'),
    });
    expect(
      await screen.findByRole(
        'dialog',
        { name: `Settings for ${HOSTILE[4] ?? ''} on ${host.name}` },
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
    expect(document.querySelector('script, img, b')).toBeNull();
    expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
  });
});

describe('right-to-left names are isolated from the text around them', () => {
  it('in the VM list, the checkpoints tree, the details pane and dialog titles and messages', async () => {
    // A Hebrew name followed by "(2)": without isolation the browser's bidi algorithm can draw
    // the surrounding words and quotes in another order, so one name can pass for another.
    const rtl = 'שרת (2)';
    const vm = aVm({ name: rtl, parentCheckpointId: checkpointId('c1') });
    const checkpoint = aCheckpoint({ id: checkpointId('c1'), name: `${rtl} לפני` });
    fakeServer({
      'GET /host': host,
      'GET /vms': [vm],
      [`GET /vms/${vm.id}`]: vm,
      [`GET /vms/${vm.id}/checkpoints?deleteOutcomes=false`]: aTree(
        [checkpoint],
        checkpointId('c1'),
      ),
      'GET /tasks': [],
      'GET /guest-images': [],
    });
    renderWithClient(<App />);
    const user = userEvent.setup();
    const grid = await screen.findByRole('grid', { name: 'Virtual Machines' });
    const isolated = (element: HTMLElement) => expect(element.closest('bdi')).not.toBeNull();
    isolated(await within(grid).findByText(rtl));
    await user.click(within(grid).getByText(rtl));
    const tree = await screen.findByRole('tree', { name: 'Checkpoints' });
    isolated(within(tree).getByText(checkpoint.name));
    const details = screen.getByRole('region', { name: `Details for ${rtl}` });
    for (const shown of within(details).getAllByText(rtl)) isolated(shown);

    useUiStore.getState().openDialog({ kind: 'settings', vmId: vm.id });
    const settings = await screen.findByRole('dialog', { name: `Settings for ${rtl}` });
    for (const shown of within(settings).getAllByText(rtl)) isolated(shown);
    useUiStore.getState().openDialog({
      kind: 'delete-checkpoint',
      vmId: vm.id,
      checkpointId: checkpointId('c1'),
      subtree: false,
    });
    const del = await screen.findByRole('dialog', { name: 'Delete Checkpoint' });
    isolated(within(del).getByText(checkpoint.name));
  });
});
