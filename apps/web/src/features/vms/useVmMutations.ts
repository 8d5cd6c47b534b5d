import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateVmInput, VmAction, VmId, VmSettingsUpdate } from '@hvm/engine';
import { checkpointKeys } from '../../api/checkpoints';
import { hostKeys } from '../../api/host';
import { createVm, deleteVm, revertVm, runVmAction, updateVm, vmKeys } from '../../api/vms';

export function invalidateVm(queryClient: QueryClient, vmId: VmId): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: vmKeys.all, exact: true }),
    queryClient.invalidateQueries({ queryKey: vmKeys.detail(vmId), exact: true }),
  ]).then(() => undefined);
}

export function useVmAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, action }: { vmId: VmId; action: VmAction }) => runVmAction(vmId, action),
    onSuccess: (_vm, { vmId }) => invalidateVm(queryClient, vmId),
  });
}

export function useRevertVm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, takeCheckpointFirst }: { vmId: VmId; takeCheckpointFirst: boolean }) =>
      revertVm(vmId, takeCheckpointFirst),
    onSuccess: (_vm, { vmId }) =>
      Promise.all([
        invalidateVm(queryClient, vmId),
        queryClient.invalidateQueries({ queryKey: checkpointKeys.tree(vmId) }),
      ]),
  });
}

export function useUpdateVm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, update }: { vmId: VmId; update: VmSettingsUpdate }) =>
      updateVm(vmId, update),
    onSuccess: (detail, { vmId }) => {
      queryClient.setQueryData(vmKeys.detail(vmId), detail);
      return invalidateVm(queryClient, vmId);
    },
  });
}

export function useCreateVm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateVmInput) => createVm(input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: vmKeys.all, exact: true }),
        queryClient.invalidateQueries({ queryKey: hostKeys.host }),
      ]),
  });
}

export function useDeleteVm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vmId: VmId) => deleteVm(vmId),
    onSuccess: async (_none, vmId) => {
      queryClient.removeQueries({ queryKey: vmKeys.detail(vmId) });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: vmKeys.all, exact: true }),
        queryClient.invalidateQueries({ queryKey: hostKeys.host }),
      ]);
    },
  });
}
