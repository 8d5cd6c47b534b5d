import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { VmDetail, VmId } from '@hvm/engine';
import { request } from '../../api/client';
import { diskKeys } from '../../api/disks';
import { invalidateVm } from '../vms/useVmMutations';

/** `POST /host/orphaned-files/actions/remove`: Check Host's Remove of one file it reports. */
export function removeOrphanedFile(path: string): Promise<void> {
  return request<void>('/host/orphaned-files/actions/remove', { method: 'POST', body: { path } });
}

/** `POST /vms/{vmId}/actions/attach-orphaned-disk`: Check Host's Attach, a new hard drive. */
export function attachOrphanedDisk(vmId: VmId, path: string): Promise<VmDetail> {
  return request<VmDetail>(`/vms/${encodeURIComponent(vmId)}/actions/attach-orphaned-disk`, {
    method: 'POST',
    body: { path },
  });
}

/** Remove and Attach, each followed by a fresh check (and, for Attach, the VM's new drive). */
export function useOrphanActions() {
  const queryClient = useQueryClient();
  const recheck = () => queryClient.invalidateQueries({ queryKey: diskKeys.check });
  const remove = useMutation({
    mutationFn: (path: string) => removeOrphanedFile(path),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: diskKeys.all });
      await recheck();
    },
  });
  const attach = useMutation({
    mutationFn: ({ vmId, path }: { vmId: VmId; path: string }) => attachOrphanedDisk(vmId, path),
    onSuccess: async (_vm, { vmId }) => {
      await invalidateVm(queryClient, vmId);
      await recheck();
    },
  });
  return { remove, attach };
}
