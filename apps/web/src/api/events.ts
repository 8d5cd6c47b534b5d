import type { QueryClient } from '@tanstack/react-query';
import type { HostEvent, Task } from '@hvm/engine';
import type { VmBody, VmDetailBody } from './bodies';
import { apiUrl } from './client';
import { checkpointKeys } from './checkpoints';
import { eventLogKeys } from './eventLog';
import { hostKeys } from './host';
import { taskKeys } from './tasks';
import { vmKeys } from './vms';

export const HOST_EVENT_TYPES = [
  'vm-changed',
  'vm-removed',
  'checkpoints-changed',
  'task-changed',
  'event-logged',
] as const satisfies readonly HostEvent['type'][];

/**
 * A fetch of `queryKey` already in flight was answered before this event: its answer is older
 * than what the event just put in the cache and would overwrite it. It is dropped and the data
 * fetched again.
 */
function refetchIfInFlight(queryClient: QueryClient, queryKey: readonly unknown[]): void {
  if (queryClient.isFetching({ queryKey, exact: true }) > 0)
    void queryClient.invalidateQueries({ queryKey, exact: true }, { cancelRefetch: true });
}

/** Folds one server event into the react-query cache. */
export function applyHostEvent(queryClient: QueryClient, event: HostEvent): void {
  switch (event.type) {
    case 'vm-changed': {
      // The server sends a changed VM with its rules (allowedActions), like GET /vms.
      const vm = event.vm as VmBody;
      queryClient.setQueryData<VmBody[]>(vmKeys.all, (list) => {
        if (!list) return list;
        const found = list.some((v) => v.id === vm.id);
        return found ? list.map((v) => (v.id === vm.id ? vm : v)) : [...list, vm];
      });
      queryClient.setQueryData<VmDetailBody>(vmKeys.detail(vm.id), (detail) =>
        detail ? { ...detail, ...vm } : detail,
      );
      if (!queryClient.getQueryData(vmKeys.all)) {
        void queryClient.invalidateQueries({ queryKey: vmKeys.all, exact: true });
      } else {
        refetchIfInFlight(queryClient, vmKeys.all);
      }
      refetchIfInFlight(queryClient, vmKeys.detail(vm.id));
      return;
    }
    case 'vm-removed': {
      queryClient.setQueryData<VmBody[]>(vmKeys.all, (list) =>
        list?.filter((v) => v.id !== event.vmId),
      );
      refetchIfInFlight(queryClient, vmKeys.all);
      queryClient.removeQueries({ queryKey: vmKeys.detail(event.vmId) });
      void queryClient.invalidateQueries({ queryKey: hostKeys.host });
      return;
    }
    case 'checkpoints-changed': {
      void queryClient.invalidateQueries({ queryKey: checkpointKeys.tree(event.vmId) });
      void queryClient.invalidateQueries({ queryKey: vmKeys.detail(event.vmId), exact: true });
      return;
    }
    case 'task-changed': {
      const { task } = event;
      queryClient.setQueryData<Task[]>(taskKeys.all, (list) => {
        if (!list) return list;
        const found = list.some((t) => t.id === task.id);
        return found ? list.map((t) => (t.id === task.id ? task : t)) : [...list, task];
      });
      refetchIfInFlight(queryClient, taskKeys.all);
      return;
    }
    case 'event-logged': {
      void queryClient.invalidateQueries({ queryKey: eventLogKeys.all });
      return;
    }
  }
}

function parseEvent(data: string): HostEvent | null {
  try {
    const parsed = JSON.parse(data) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'type' in parsed) {
      return parsed as HostEvent;
    }
  } catch {
    // ignore malformed frames
  }
  return null;
}

/**
 * A background task of a VM (a merge, an export) failed after its request answered: worth a
 * notice. A host task on a disk of no VM fails its own request, whose wizard shows the error.
 */
export function isBackgroundFailure(
  event: HostEvent,
): event is Extract<HostEvent, { type: 'task-changed' }> {
  return (
    event.type === 'task-changed' && event.task.status === 'Failed' && event.task.vmId !== null
  );
}

/**
 * Reads everything again once the event stream is open: what the cache holds was answered before
 * the server subscribed this stream, and an event in between reached no one (a VM created after
 * the list's answer and before the stream's, which then never showed). A fetch under way is not
 * cancelled (the list's first answer is not delayed) but followed by another once it ends, since
 * the server may have answered it before that event. A revalidated list costs the server a 304.
 */
export function refetchAfterStreamOpened(queryClient: QueryClient): void {
  const cache = queryClient.getQueryCache();
  const underWay = new Set<string>(
    cache
      .getAll()
      .filter((query) => query.state.fetchStatus === 'fetching')
      .map((query) => query.queryHash),
  );
  void queryClient.invalidateQueries({ predicate: (query) => !underWay.has(query.queryHash) });
  if (underWay.size === 0) return;
  const unsubscribe = cache.subscribe((event) => {
    const { queryHash, queryKey, state } = event.query as {
      queryHash: string;
      queryKey: readonly unknown[];
      state: { fetchStatus: string };
    };
    if (!underWay.has(queryHash)) return;
    if (event.type !== 'removed' && state.fetchStatus === 'fetching') return;
    underWay.delete(queryHash);
    if (underWay.size === 0) unsubscribe();
    if (event.type !== 'removed') void queryClient.invalidateQueries({ queryKey, exact: true });
  });
}

/**
 * Opens the server's event stream and keeps the cache current. Each time it opens (the first
 * time, and after a dropped connection comes back) everything is read again, since events may
 * have been missed (refetchAfterStreamOpened). `onConnectionChange` hears
 * when the stream drops (false) and when it is open again (true). Returns a function that closes it.
 */
export function connectHostEvents(
  queryClient: QueryClient,
  onTaskFailed?: (task: Task) => void,
  onConnectionChange?: (connected: boolean) => void,
): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(apiUrl('/events'));
  const onMessage = (message: MessageEvent<string>) => {
    const event = parseEvent(message.data);
    if (!event) return;
    applyHostEvent(queryClient, event);
    if (isBackgroundFailure(event)) onTaskFailed?.(event.task);
  };
  for (const type of HOST_EVENT_TYPES) source.addEventListener(type, onMessage);
  source.addEventListener('open', () => {
    refetchAfterStreamOpened(queryClient);
    onConnectionChange?.(true);
  });
  source.addEventListener('error', () => {
    onConnectionChange?.(false);
  });
  return () => source.close();
}
