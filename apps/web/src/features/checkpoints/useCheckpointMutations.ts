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
import { invalidateVm } from '../vms/useVmMutations';

function useInvalidateCheckpoints() {
  const queryClient = useQueryClient();
  return (vmId: VmId) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: checkpointKeys.tree(vmId) }),
      invalidateVm(queryClient, vmId),
    ]).then(() => undefined);
}

export function useCreateCheckpoint() {
  const invalidate = useInvalidateCheckpoints();
  return useMutation({
    mutationFn: ({ vmId, name }: { vmId: VmId; name?: string }) => createCheckpoint(vmId, name),
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
