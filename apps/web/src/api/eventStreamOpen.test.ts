import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VmSummary } from '@hvm/engine';
import { aVm, vmId } from '../test/fixtures';
import { connectHostEvents } from './events';

/** A stand-in for the browser's EventSource: the test says when the stream is open. */
class HeldEventSource extends EventTarget {
  static last: HeldEventSource | null = null;
  constructor(readonly url: string) {
    super();
    HeldEventSource.last = this;
  }
  open(): void {
    this.dispatchEvent(new Event('open'));
  }
  close(): void {
    // Nothing to release.
  }
}

/** The VM list on screen, each fetch answered by the test. */
function listOnScreen(client: QueryClient) {
  const answers: ((list: VmSummary[]) => void)[] = [];
  const observer = new QueryObserver(client, {
    queryKey: ['vms'],
    queryFn: () => new Promise<VmSummary[]>((resolve) => answers.push(resolve)),
  });
  const unsubscribe = observer.subscribe(() => undefined);
  return { answers, unsubscribe };
}

describe('the event stream once connected', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads the VM list again: a VM created after the list was answered and before the stream was connected appears', async () => {
    vi.stubGlobal('EventSource', HeldEventSource);
    const client = new QueryClient();
    const created = aVm({ id: vmId('late'), name: 'Created meanwhile' });
    const list = listOnScreen(client);
    await vi.waitFor(() => expect(list.answers).toHaveLength(1));
    list.answers[0]?.([aVm()]);
    await vi.waitFor(() => expect(client.getQueryData<VmSummary[]>(['vms'])).toHaveLength(1));

    const close = connectHostEvents(client);
    HeldEventSource.last?.open();
    await vi.waitFor(() => expect(list.answers).toHaveLength(2));
    list.answers[1]?.([aVm(), created]);
    await vi.waitFor(() =>
      expect(client.getQueryData<VmSummary[]>(['vms'])?.map((vm) => vm.name)).toContain(
        'Created meanwhile',
      ),
    );
    close();
    list.unsubscribe();
  });

  it('lets a list fetch already under way finish, then reads the list once more (the server may have answered it before the event)', async () => {
    vi.stubGlobal('EventSource', HeldEventSource);
    const client = new QueryClient();
    const list = listOnScreen(client);
    await vi.waitFor(() => expect(list.answers).toHaveLength(1));

    const close = connectHostEvents(client);
    HeldEventSource.last?.open();
    // The first answer is not cancelled: it is what the list first shows.
    list.answers[0]?.([aVm()]);
    await vi.waitFor(() => expect(client.getQueryData<VmSummary[]>(['vms'])).toHaveLength(1));
    await vi.waitFor(() => expect(list.answers).toHaveLength(2));
    list.answers[1]?.([aVm(), aVm({ id: vmId('late'), name: 'Created meanwhile' })]);
    await vi.waitFor(() => expect(client.getQueryData<VmSummary[]>(['vms'])).toHaveLength(2));
    close();
    list.unsubscribe();
  });
});
