import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CheckpointId, VmId } from '@hvm/engine';
import {
  applyCheckpoint,
  checkpointKeys,
  createCheckpoint,
  deleteCheckpoint,
  renameCheckpoint,
} from '../../api/checkpoints';
import { taskKeys } from '../../api/tasks';
import { invalidateVm, isOnSelectedServer } from '../vms/useVmMutations';

/** Reads a VM and its checkpoint tree again, on `hostPath` (the selected server when undefined). */
function useInvalidateCheckpoints(hostPath?: string) {
  const queryClient = useQueryClient();
  return (vmId: VmId) =>
    Promise.all([
      ...(isOnSelectedServer(hostPath)
        ? [queryClient.invalidateQueries({ queryKey: checkpointKeys.tree(vmId) })]
        : []),
      invalidateVm(queryClient, vmId, hostPath),
    ]).then(() => undefined);
}

/** Checkpoint of a VM on `hostPath`: a connection window's own server; undefined, the selected. */
export function useCreateCheckpoint(hostPath?: string) {
  const invalidate = useInvalidateCheckpoints(hostPath);
  return useMutation({
    mutationFn: ({ vmId, name }: { vmId: VmId; name?: string }) =>
      createCheckpoint(vmId, name, hostPath),
    onSuccess: (_checkpoint, { vmId }) => invalidate(vmId),
  });
}

export function useRenameCheckpoint() {
  const invalidate = useInvalidateCheckpoints();
  return useMutation({
    mutationFn: ({ vmId, id, name }: { vmId: VmId; id: CheckpointId; name: string }) =>
      renameCheckpoint(vmId, id, name),
    onSuccess: (_checkpoint, { vmId }) => invalidate(vmId),
  });
}

export function useApplyCheckpoint() {
  const invalidate = useInvalidateCheckpoints();
  return useMutation({
    mutationFn: ({
      vmId,
      id,
      takeCheckpointFirst,
    }: {
      vmId: VmId;
      id: CheckpointId;
      takeCheckpointFirst: boolean;
    }) => applyCheckpoint(vmId, id, takeCheckpointFirst),
    onSuccess: (_vm, { vmId }) => invalidate(vmId),
  });
}

export function useDeleteCheckpoint() {
  const invalidate = useInvalidateCheckpoints();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, id, subtree }: { vmId: VmId; id: CheckpointId; subtree: boolean }) =>
      deleteCheckpoint(vmId, id, subtree),
    onSuccess: (_task, { vmId }) =>
      Promise.all([invalidate(vmId), queryClient.invalidateQueries({ queryKey: taskKeys.all })]),
  });
}
