import { queryOptions } from '@tanstack/react-query';
import type { Checkpoint, CheckpointId, Task, VmId } from '@hvm/engine';
import type { CheckpointBody, CheckpointTreeBody, VmBody } from './bodies';
import { request } from './client';

export const checkpointKeys = {
  tree: (vmId: VmId) => ['vms', vmId, 'checkpoints'] as const,
};

const base = (vmId: VmId) => `/vms/${encodeURIComponent(vmId)}/checkpoints`;
const one = (vmId: VmId, id: CheckpointId) => `${base(vmId)}/${encodeURIComponent(id)}`;

/** The tree without the delete outcomes of every checkpoint (see CheckpointTreeBody). */
export const checkpointsQuery = (vmId: VmId) =>
  queryOptions({
    queryKey: checkpointKeys.tree(vmId),
    queryFn: ({ signal }) =>
      request<CheckpointTreeBody>(`${base(vmId)}?deleteOutcomes=false`, { signal }),
  });

/**
 * One checkpoint, with the VM's settings as of it (`settings`) for its Settings... dialog and
 * what deleting it will do (`deleteOutcome`) for the Delete dialog. Under the tree's key: a
 * change of the tree fetches it again.
 */
export const checkpointQuery = (vmId: VmId, id: CheckpointId) =>
  queryOptions({
    queryKey: [...checkpointKeys.tree(vmId), id] as const,
    queryFn: ({ signal }) => request<CheckpointBody>(one(vmId, id), { signal }),
  });

/**
 * What deleting one checkpoint will do, for its Delete dialog. Not under the tree's key: deleting
 * the checkpoint changes the tree, and fetching the deleted checkpoint again (a 404, retried)
 * would hold up the end of the delete and close a dialog opened meanwhile.
 */
export const checkpointDeleteOutcomeQuery = (vmId: VmId, id: CheckpointId) =>
  queryOptions({
    queryKey: ['checkpoint-delete-outcome', vmId, id] as const,
    queryFn: ({ signal }) => request<CheckpointBody>(one(vmId, id), { signal }),
    gcTime: 0,
    retry: false,
  });

/** `hostPath`: the server of the VM (api/client.ts); the selected one when undefined. */
export function createCheckpoint(
  vmId: VmId,
  name?: string,
  hostPath?: string,
): Promise<Checkpoint> {
  return request<Checkpoint>(base(vmId), {
    method: 'POST',
    body: name === undefined ? {} : { name },
    hostPath,
  });
}

export function renameCheckpoint(vmId: VmId, id: CheckpointId, name: string): Promise<Checkpoint> {
  return request<Checkpoint>(one(vmId, id), { method: 'PATCH', body: { name } });
}

export function applyCheckpoint(
  vmId: VmId,
  id: CheckpointId,
  takeCheckpointFirst: boolean,
): Promise<VmBody> {
  return request<VmBody>(`${one(vmId, id)}/actions/apply`, {
    method: 'POST',
    body: { takeCheckpointFirst },
  });
}

/** Delete Checkpoint (or its subtree). Answers the merge task when one goes on, else undefined. */
export async function deleteCheckpoint(
  vmId: VmId,
  id: CheckpointId,
  subtree: boolean,
): Promise<Task | undefined> {
  const answer = await request<{ task: Task } | undefined>(
    `${one(vmId, id)}${subtree ? '?subtree=true' : ''}`,
    { method: 'DELETE' },
  );
  return answer?.task;
}
