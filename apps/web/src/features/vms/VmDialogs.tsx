import { useQuery } from '@tanstack/react-query';
import type { VmId } from '@hvm/engine';
import { windowVmQuery } from '../../api/connectionWindow';
import { vmsQuery } from '../../api/vms';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { useUiStore } from '../../stores/uiStore';
import { isOnSelectedServer, useDeleteVm, useRevertVm, useVmAction } from './useVmMutations';

/**
 * The name of VM `vmId` on `hostPath` (the selected server when undefined): from the main
 * window's list on the selected server, else as a connection window reads it from its own.
 */
export function useVmName(vmId: VmId, hostPath?: string): string {
  const onSelected = isOnSelectedServer(hostPath);
  const { data: listed } = useQuery({
    ...vmsQuery(),
    enabled: onSelected,
    select: (vms) => vms.find((v) => v.id === vmId)?.name,
  });
  const { data: polled } = useQuery({
    ...windowVmQuery(hostPath ?? '', vmId),
    enabled: !onSelected,
    select: (vm) => vm.name,
  });
  return (onSelected ? listed : polled) ?? 'the virtual machine';
}

export function DeleteVmDialog({ vmId }: { vmId: VmId }) {
  const close = useUiStore((s) => s.closeDialog);
  const selectVm = useUiStore((s) => s.selectVm);
  const name = useVmName(vmId);
  const remove = useDeleteVm();
  return (
    <ConfirmDialog
      title="Delete Selected Virtual Machines"
      message={
        // What Remove-VM does (Microsoft's Remove-VM reference, behaviour spec R26): the disks stay.
        // The two sentences after the question are Hyper-V Manager's confirmation as remembered
        // (R26 [B]), not verified against a Hyper-V host.
        <>
          Are you sure you want to delete{' '}
          <q>
            <bdi>{name}</bdi>
          </q>
          ? Deleting a virtual machine deletes its configuration file, but does not delete any
          virtual hard disks. If the virtual machine has any checkpoints, these are deleted and
          merged into the virtual hard disk files after the virtual machine is deleted.
        </>
      }
      choices={[
        {
          caption: 'Delete',
          isDefault: true,
          onChoose: () =>
            remove.mutateAsync(vmId).then(() => {
              selectVm(null);
              close();
            }),
        },
      ]}
      onCancel={close}
      pending={remove.isPending}
      error={remove.error}
      errorSummary="The virtual machine could not be deleted."
    />
  );
}

/** Turn Off... and Shut Down... ask first; `hostPath`: the VM's server (useVmCommands). */
export function PowerConfirmDialog({
  vmId,
  action,
  hostPath,
}: {
  vmId: VmId;
  action: 'turn-off' | 'shut-down';
  hostPath?: string | undefined;
}) {
  const close = useUiStore((s) => s.closeDialog);
  const name = useVmName(vmId, hostPath);
  const run = useVmAction(hostPath);
  const turnOff = action === 'turn-off';
  return (
    <ConfirmDialog
      title={turnOff ? 'Turn Off Machine' : 'Shut Down Machine'}
      message={
        turnOff ? (
          <>
            Do you want to turn off{' '}
            <q>
              <bdi>{name}</bdi>
            </q>
            ? If you turn off the virtual machine, any unsaved data in it will be lost.
          </>
        ) : (
          <>
            Are you sure you want to shut down{' '}
            <q>
              <bdi>{name}</bdi>
            </q>
            ?
          </>
        )
      }
      choices={[
        {
          caption: turnOff ? 'Turn Off' : 'Shut Down',
          isDefault: true,
          onChoose: () => run.mutateAsync({ vmId, action }).then(close),
        },
      ]}
      onCancel={close}
      pending={run.isPending}
      error={run.error}
      errorSummary={`The virtual machine could not be ${turnOff ? 'turned off' : 'shut down'}.`}
    />
  );
}

export function RevertVmDialog({ vmId, hostPath }: { vmId: VmId; hostPath?: string | undefined }) {
  const close = useUiStore((s) => s.closeDialog);
  const revert = useRevertVm(hostPath);
  const run = (takeCheckpointFirst: boolean) =>
    revert.mutateAsync({ vmId, takeCheckpointFirst }).then(close);
  return (
    <ConfirmDialog
      title="Revert Virtual Machine"
      message="Are you sure you want to revert the virtual machine to its previous checkpoint? Your current virtual machine state will be lost."
      choices={[
        { caption: 'Take Checkpoint and Revert', onChoose: () => run(true), isDefault: true },
        { caption: 'Revert', onChoose: () => run(false) },
      ]}
      onCancel={close}
      pending={revert.isPending}
      error={revert.error}
      errorSummary="The virtual machine could not be reverted."
    />
  );
}
