import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateVmInput, VmAction, VmId, VmSettingsUpdate } from '@hvm/engine';
import { checkpointKeys } from '../../api/checkpoints';
import { currentHostPath } from '../../api/client';
import { isWindowQueryOf } from '../../api/connectionWindow';
import { hostKeys } from '../../api/host';
import {
  createVm,
  deleteVm,
  revertVm,
  runVmAction,
  updateVm,
  vmKeys,
  vmQuery,
} from '../../api/vms';

/**
 * Whether a change to a VM on `hostPath` (undefined: the selected server) changes what the main
 * window shows, which is read from the selected server only.
 */
export function isOnSelectedServer(hostPath: string | undefined): boolean {
  return hostPath === undefined || hostPath === currentHostPath();
}

/**
 * Reads VM `vmId` on `hostPath` (the selected server when undefined) again: the main window's
 * list and details when that server is the selected one, and every connection window's reading
 * of it (api/connectionWindow.ts). Nothing read from another server is touched: a VM of the same
 * id may live there.
 */
export function invalidateVm(
  queryClient: QueryClient,
  vmId: VmId,
  hostPath?: string,
): Promise<void> {
  const server = hostPath ?? currentHostPath();
  return Promise.all([
    ...(isOnSelectedServer(hostPath)
      ? [
          queryClient.invalidateQueries({ queryKey: vmKeys.all, exact: true }),
          queryClient.invalidateQueries({ queryKey: vmKeys.detail(vmId), exact: true }),
        ]
      : []),
    queryClient.invalidateQueries({
      predicate: (query) => isWindowQueryOf(query.queryKey, vmId, server),
    }),
  ]).then(() => undefined);
}

/**
 * A power command (Start, Turn Off, Save, ...) of a VM on `hostPath`: a connection window's own
 * server; the selected server when undefined (the main window).
 */
export function useVmAction(hostPath?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, action }: { vmId: VmId; action: VmAction }) =>
      runVmAction(vmId, action, hostPath),
    onSuccess: (_vm, { vmId }) => invalidateVm(queryClient, vmId, hostPath),
  });
}

/** Revert of a VM on `hostPath` (as useVmAction). */
export function useRevertVm(hostPath?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, takeCheckpointFirst }: { vmId: VmId; takeCheckpointFirst: boolean }) =>
      revertVm(vmId, takeCheckpointFirst, hostPath),
    onSuccess: (_vm, { vmId }) =>
      Promise.all([
        invalidateVm(queryClient, vmId, hostPath),
        ...(isOnSelectedServer(hostPath)
          ? [queryClient.invalidateQueries({ queryKey: checkpointKeys.tree(vmId) })]
          : []),
      ]),
  });
}

/** The Settings dialog's Set-VM of a VM on `hostPath` (as useVmAction). */
export function useUpdateVm(hostPath?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vmId, update }: { vmId: VmId; update: VmSettingsUpdate }) =>
      updateVm(vmId, update, hostPath),
    onSuccess: (detail, { vmId }) => {
      queryClient.setQueryData(vmQuery(vmId, hostPath).queryKey, detail);
      return invalidateVm(queryClient, vmId, hostPath);
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
