import {
  ApplyCheckpointDialog,
  DeleteCheckpointDialog,
  ProductionCreatedDialog,
} from '../features/checkpoints/CheckpointDialogs';
import { DeleteSavedStateDialog } from '../features/actions/DeleteSavedStateDialog';
import { OpenVmConnection, VmConnectionWindows } from '../features/console/VmConnectionWindows';
import { CheckHostDialog } from '../features/disks/CheckHostDialog';
import { ImportVmWizard } from '../features/import/ImportVmWizard';
import { ExportDialog } from '../features/disks/ExportDialog';
import { InspectDiskDialog } from '../features/disks/InspectDiskDialog';
import { EditDiskWizard } from '../features/disks/editDisk/EditDiskWizard';
import { NewDiskWizard } from '../features/disks/newDisk/NewDiskWizard';
import { EventLogDialog } from '../features/eventLog/EventLogDialog';
import { HyperVSettingsDialog } from '../features/host/HyperVSettingsDialog';
import { ConnectToServerDialog } from '../features/host/ConnectToServerDialog';
import { VirtualSwitchManagerDialog } from '../features/switches/VirtualSwitchManagerDialog';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { NewVmWizard } from '../features/newVm/NewVmWizard';
import { CheckpointSettingsDialog } from '../features/settings/CheckpointSettingsDialog';
import { ResetVmDialog } from '../features/vms/ResetVmDialog';
import { DeleteVmDialog, PowerConfirmDialog, RevertVmDialog } from '../features/vms/VmDialogs';
import { HelpDialog } from '../shared/HelpDialog';
import { MessageDialog } from '../shared/MessageDialog';
import { useUiStore } from '../stores/uiStore';

/**
 * The Virtual Machine Connection windows (not modal), then whichever modal dialog is open: later
 * in the page, so it is drawn above them and Esc reaches it first.
 */
export function DialogHost() {
  return (
    <>
      <VmConnectionWindows />
      <ModalDialog />
    </>
  );
}

/** Renders whichever modal dialog the UI store says is open. */
function ModalDialog() {
  const dialog = useUiStore((s) => s.dialog);
  const close = useUiStore((s) => s.closeDialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'connect-to-server':
      return <ConnectToServerDialog />;
    case 'settings':
      return (
        <SettingsDialog
          key={`${dialog.hostPath ?? ''}|${dialog.vmId}`}
          vmId={dialog.vmId}
          hostPath={dialog.hostPath}
        />
      );
    case 'vm-connection':
      return <OpenVmConnection vmId={dialog.vmId} />;
    case 'new-vm':
      return <NewVmWizard />;
    case 'delete-vm':
      return <DeleteVmDialog vmId={dialog.vmId} />;
    case 'turn-off':
      return <PowerConfirmDialog vmId={dialog.vmId} hostPath={dialog.hostPath} action="turn-off" />;
    case 'shut-down':
      return (
        <PowerConfirmDialog vmId={dialog.vmId} hostPath={dialog.hostPath} action="shut-down" />
      );
    case 'reset':
      return <ResetVmDialog vmId={dialog.vmId} hostPath={dialog.hostPath} />;
    case 'delete-saved-state':
      return <DeleteSavedStateDialog vmId={dialog.vmId} hostPath={dialog.hostPath} />;
    case 'revert':
      return <RevertVmDialog vmId={dialog.vmId} hostPath={dialog.hostPath} />;
    case 'apply-checkpoint':
      return <ApplyCheckpointDialog vmId={dialog.vmId} checkpointId={dialog.checkpointId} />;
    case 'delete-checkpoint':
      return (
        <DeleteCheckpointDialog
          vmId={dialog.vmId}
          checkpointId={dialog.checkpointId}
          subtree={dialog.subtree}
        />
      );
    case 'checkpoint-settings':
      return <CheckpointSettingsDialog vmId={dialog.vmId} checkpointId={dialog.checkpointId} />;
    case 'export':
      return <ExportDialog vmId={dialog.vmId} checkpointId={dialog.checkpointId} />;
    case 'inspect-disk':
      return <InspectDiskDialog path={dialog.path} />;
    case 'edit-disk':
      return <EditDiskWizard path={dialog.path} />;
    case 'new-disk':
      return <NewDiskWizard />;
    case 'check-host':
      return <CheckHostDialog />;
    case 'import-vm':
      return <ImportVmWizard />;
    case 'event-log':
      return <EventLogDialog />;
    case 'virtual-switch-manager':
      return <VirtualSwitchManagerDialog />;
    case 'hyperv-settings':
      return <HyperVSettingsDialog />;
    case 'help':
      return <HelpDialog />;
    case 'production-created':
      return <ProductionCreatedDialog checkpoint={dialog.checkpoint} />;
    case 'error':
      return (
        <MessageDialog title={dialog.title} onClose={close} icon="error">
          <p className="error-summary-line">{dialog.summary}</p>
          <p className="error-detail">{dialog.message}</p>
        </MessageDialog>
      );
  }
}
