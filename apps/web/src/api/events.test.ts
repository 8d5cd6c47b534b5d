import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { VmSummary } from '@hvm/engine';
import { aVm, vmId } from '../test/fixtures';
import { applyHostEvent, isBackgroundFailure } from './events';

describe('server events update the cache', () => {
  it('vm-changed replaces that VM in the list and merges into its details', () => {
    const client = new QueryClient();
    const vm = aVm();
    client.setQueryData(['vms'], [vm]);
    client.setQueryData(['vms', vm.id], vm);
    applyHostEvent(client, {
      type: 'vm-changed',
      vm: { ...vm, state: 'Running', status: 'Merging disks (30%)' },
    });
    expect(client.getQueryData<VmSummary[]>(['vms'])?.[0]?.status).toBe('Merging disks (30%)');
    expect(client.getQueryData<VmSummary>(['vms', vm.id])?.state).toBe('Running');
  });

  it('vm-removed drops the VM', () => {
    const client = new QueryClient();
    client.setQueryData(['vms'], [aVm(), aVm({ id: vmId('other'), name: 'Other' })]);
    applyHostEvent(client, { type: 'vm-removed', vmId: aVm().id });
    expect(client.getQueryData<VmSummary[]>(['vms'])?.map((v) => v.name)).toEqual(['Other']);
  });

  it("checkpoints-changed invalidates that VM's checkpoints", () => {
    const client = new QueryClient();
    const id = aVm().id;
    client.setQueryData(['vms', id, 'checkpoints'], {
      vmId: id,
      checkpoints: [],
      now: { parentId: null },
    });
    applyHostEvent(client, { type: 'checkpoints-changed', vmId: id });
    expect(client.getQueryState(['vms', id, 'checkpoints'])?.isInvalidated).toBe(true);
  });

  it('an event that arrives while the VM list is being fetched is not overwritten by that older answer', async () => {
    const client = new QueryClient();
    const vm = aVm();
    const answers: ((list: VmSummary[]) => void)[] = [];
    client.setQueryData(['vms'], [{ ...vm, status: 'Merging disks (98%)' }]);
    // The list on screen: a refetch starts, and the server answers with what it had then.
    const observer = new QueryObserver(client, {
      queryKey: ['vms'],
      queryFn: () => new Promise<VmSummary[]>((resolve) => answers.push(resolve)),
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    applyHostEvent(client, { type: 'vm-changed', vm: { ...vm, status: 'Operating normally' } });
    answers[0]?.([{ ...vm, status: 'Merging disks (98%)' }]);
    // The older answer is dropped and the list fetched again, after the event.
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    expect(client.getQueryData<VmSummary[]>(['vms'])?.[0]?.status).toBe('Operating normally');
    answers[1]?.([{ ...vm, status: 'Operating normally' }]);
    await vi.waitFor(() => expect(client.isFetching()).toBe(0));
    expect(client.getQueryData<VmSummary[]>(['vms'])?.[0]?.status).toBe('Operating normally');
    unsubscribe();
  });

  it("a failed VM task is a background failure worth a notice; a failed disk edit's host task is not", () => {
    const task = {
      id: 't1',
      vmId: aVm().id,
      name: 'Merging disks',
      status: 'Failed',
      percentComplete: 40,
      startedAt: '2024-03-05T14:07:09.000Z',
      finishedAt: '2024-03-05T14:07:19.000Z',
      error: {
        code: 'EIO',
        message: 'The request could not be performed because of an I/O device error.',
      },
    } as const;
    expect(isBackgroundFailure({ type: 'task-changed', task: task as never })).toBe(true);
    expect(
      isBackgroundFailure({
        type: 'task-changed',
        task: {
          ...task,
          vmId: null,
          disk: 'Disks/a.vhdx',
          name: 'Compacting virtual hard disk',
        } as never,
      }),
    ).toBe(false);
  });
});
