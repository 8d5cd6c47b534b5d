import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { VmId } from '@hvm/engine';
import type { VmBody } from '../../api/bodies';
import { request } from '../../api/client';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { useUiStore } from '../../stores/uiStore';
import { invalidateVm } from '../vms/useVmMutations';
import { useVmName } from '../vms/VmDialogs';

/**
 * `POST /vms/{vmId}/actions/delete-saved-state` (Remove-VMSavedState), on `hostPath` (the
 * selected server when undefined).
 */
export function deleteSavedState(vmId: VmId, hostPath?: string): Promise<VmBody> {
  return request<VmBody>(`/vms/${encodeURIComponent(vmId)}/actions/delete-saved-state`, {
    method: 'POST',
    hostPath,
  });
}

export function useDeleteSavedState(hostPath?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vmId: VmId) => deleteSavedState(vmId, hostPath),
    onSuccess: (_vm, vmId) => invalidateVm(queryClient, vmId, hostPath),
  });
}

/**
 * Delete Saved State... asks first: Hyper-V Manager offers the command for a Saved VM (behaviour
 * spec §8.3 note, S62), and what it deletes is the guest's memory: "data contained in the memory
 * of the virtual machine may be lost; data on its virtual hard disk drives are unaffected"
 * (Microsoft's Remove-VMSavedState reference). Hyper-V Manager's exact title, sentence and button
 * caption for this box were not found in a source; the title is the command's own name and the
 * sentence is ours, built on Microsoft's note.
 */
export function DeleteSavedStateDialog({
  vmId,
  hostPath,
}: {
  vmId: VmId;
  hostPath?: string | undefined;
}) {
  const close = useUiStore((s) => s.closeDialog);
  const name = useVmName(vmId, hostPath);
  const run = useDeleteSavedState(hostPath);
  return (
    <ConfirmDialog
      title="Delete Saved State"
      message={
        <>
          Do you want to delete the saved state of{' '}
          <q>
            <bdi>{name}</bdi>
          </q>
          ? Data in the memory of the virtual machine will be lost; data on its virtual hard disks
          is unaffected.
        </>
      }
      choices={[
        {
          caption: 'Delete',
          isDefault: true,
          onChoose: () => run.mutateAsync(vmId).then(close),
        },
      ]}
      onCancel={close}
      pending={run.isPending}
      error={run.error}
      errorSummary="The saved state could not be deleted."
    />
  );
}
