import { useQuery } from '@tanstack/react-query';
import type { VmSummary } from '@hvm/engine';
import { vmsQuery } from '../api/vms';
import { ActionsPane } from '../features/actions/ActionsPane';
import { AppContextMenu } from '../features/actions/AppContextMenu';
import { CheckpointTree } from '../features/checkpoints/CheckpointTree';
import { HostTree } from '../features/host/HostTree';
import { PowerShellPane } from '../features/powershell/PowerShellPane';
import { SessionGate } from '../features/signIn/SessionGate';
import { useViewSettings } from '../features/menus/viewSettings';
import { useCan } from '../features/signIn/usePermissions';
import { DetailsPane } from '../features/vms/DetailsPane';
import { VmList } from '../features/vms/VmList';
import { useUiStore } from '../stores/uiStore';
import { ConnectionLostBanner } from './ConnectionLostBanner';
import { DialogHost } from './DialogHost';
import { MenuBar } from './MenuBar';
import { useHostEvents } from './useHostEvents';

/** Hyper-V Manager, once the server knows who the user is (sign-in, when it is required). */
export function App() {
  return (
    <SessionGate>
      <HyperVManager />
    </SessionGate>
  );
}

/**
 * The selected VM's summary. Only the panes that show the selected VM read it: selecting a VM (or
 * a change in the VM list) redraws them, not the whole window.
 */
function useSelectedVm(): VmSummary | undefined {
  const selectedVmId = useUiStore((s) => s.selectedVmId);
  const { data: vm } = useQuery({
    ...vmsQuery(),
    select: (vms) => (selectedVmId === null ? undefined : vms.find((v) => v.id === selectedVmId)),
  });
  return vm;
}

function SelectedVmCheckpoints() {
  const vm = useSelectedVm();
  return vm ? (
    <CheckpointTree key={vm.id} vm={vm} />
  ) : (
    <p className="empty-note">Select a virtual machine to see its checkpoints.</p>
  );
}

function SelectedVmDetails() {
  const vm = useSelectedVm();
  return vm ? <DetailsPane key={vm.id} vm={vm} /> : null;
}

/** The Hyper-V Manager window: console tree, VM list with checkpoints and details, Actions. */
function HyperVManager() {
  useHostEvents();
  const notice = useUiStore((s) => s.notice);
  const showNotice = useUiStore((s) => s.showNotice);
  const canRunPowerShell = useCan('runPowerShell');
  const { consoleTree, actionsPane, statusBar } = useViewSettings();
  const layout = `workspace${consoleTree ? '' : ' no-console-tree'}${actionsPane ? '' : ' no-actions-pane'}`;

  return (
    <div className="app">
      <MenuBar />
      <ConnectionLostBanner />
      <div className={layout}>
        {consoleTree && <HostTree />}
        <main className="centre">
          <section className="pane vm-pane" aria-labelledby="vm-pane-title">
            <div className="pane-title" id="vm-pane-title">
              Virtual Machines
            </div>
            <VmList />
          </section>
          <section className="pane checkpoints-pane" aria-labelledby="checkpoints-pane-title">
            <div className="pane-title" id="checkpoints-pane-title">
              Checkpoints
            </div>
            <SelectedVmCheckpoints />
          </section>
          <SelectedVmDetails />
        </main>
        {actionsPane && <ActionsPane />}
      </div>
      {canRunPowerShell && <PowerShellPane />}
      <div className="status-bar" role="status" hidden={!statusBar && !notice}>
        {notice && (
          <>
            <span>{notice}</span>
            <button type="button" className="link-button" onClick={() => showNotice(null)}>
              Dismiss
            </button>
          </>
        )}
      </div>
      <AppContextMenu />
      <DialogHost />
    </div>
  );
}
