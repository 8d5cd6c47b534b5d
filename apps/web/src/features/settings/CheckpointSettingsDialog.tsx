/**
 * Settings... on a checkpoint: the VM's Settings dialog as of the checkpoint, read-only (behaviour
 * spec §3: "the settings of a checkpoint can be viewed but not changed"; Hyper-V Manager opens the
 * same dialog with every control greyed out and only OK). Its title names the checkpoint and the
 * host: "Settings for <checkpoint> on <host>".
 */
import { useQuery } from '@tanstack/react-query';
import type { Checkpoint, CheckpointId, VmDetail, VmId } from '@hvm/engine';
import { checkpointQuery } from '../../api/checkpoints';
import { hostQuery } from '../../api/host';
import { vmQuery } from '../../api/vms';
import { LoadingDialog } from '../../shared/LoadingDialog';
import { useUiStore } from '../../stores/uiStore';
import { SettingsForm } from './SettingsDialog';

/**
 * The VM as the checkpoint froze it: its hardware, firmware, security, integration services and
 * disks; the name is the checkpoint's (a checkpoint's settings carry its own name in Hyper-V).
 * A server without `settings` answers the VM's current hardware: the disks are still the frozen ones.
 */
export function vmAsOfCheckpoint(vm: VmDetail, checkpoint: Checkpoint): VmDetail {
  const settings = checkpoint.settings;
  const frozenDrives = settings?.hardDrives ?? [];
  return {
    ...vm,
    name: checkpoint.name,
    ...(settings === undefined
      ? {}
      : {
          generation: settings.generation,
          memoryStartupMB: settings.memoryStartupMB,
          hardware: settings.hardware,
          integrationServices: settings.integrationServices,
          firmware: settings.firmware,
          security: settings.security,
          // Older servers send no devices: the VM's own are shown.
          ...(settings.networkAdapters === undefined
            ? {}
            : {
                networkAdapters: settings.networkAdapters,
                scsiControllers: settings.scsiControllers,
              }),
        }),
    hardDrives:
      settings === undefined
        ? vm.hardDrives.map((drive, i) => {
            const path = checkpoint.hardDrives[i] ?? drive.path;
            return { ...drive, path, chain: [path] };
          })
        : frozenDrives.map((drive) => ({ ...drive, chain: [drive.path] })),
  };
}

export function CheckpointSettingsDialog({
  vmId,
  checkpointId,
}: {
  vmId: VmId;
  checkpointId: CheckpointId;
}) {
  const close = useUiStore((s) => s.closeDialog);
  const { data: checkpoint, error } = useQuery(checkpointQuery(vmId, checkpointId));
  const { data: vm, error: vmError } = useQuery(vmQuery(vmId));
  const { data: host } = useQuery(hostQuery());
  const title = (
    <>
      Settings for <bdi>{checkpoint?.name ?? 'checkpoint'}</bdi>
      {host && (
        <>
          {' on '}
          <bdi>{host.name}</bdi>
        </>
      )}
    </>
  );
  if (checkpoint === undefined || vm === undefined) {
    const problem = error ?? vmError;
    return (
      <LoadingDialog
        title={title}
        what="settings"
        failure="The checkpoint's settings could not be loaded."
        error={problem}
        onClose={close}
        closeCaption="OK"
      />
    );
  }
  return (
    <SettingsForm
      key={checkpoint.id}
      vm={vmAsOfCheckpoint(vm, checkpoint)}
      onClose={close}
      readOnly={{ title }}
    />
  );
}
