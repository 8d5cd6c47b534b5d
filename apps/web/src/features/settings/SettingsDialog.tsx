import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { VmDetail, VmId } from '@hvm/engine';
import { vmQuery, vmsQuery } from '../../api/vms';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useUiStore } from '../../stores/uiStore';
import { useUpdateVm } from '../vms/useVmMutations';
import { InspectDiskDialog } from '../disks/InspectDiskDialog';
import { AutomaticStartPage, AutomaticStopPage } from './AutomaticActionPages';
import { CheckpointsPage } from './CheckpointsPage';
import { HardDrivePage } from './HardwarePages';
import { NetworkAdapterPage, useNetworkAdapterChoice } from './NetworkAdapterPage';
import { IntegrationServicesPage, NamePage } from './SettingsPages';
import { MemoryPage, ProcessorPage } from './MemoryProcessorPages';
import { hardwareProblems } from './hardwareDraft';
import { hostQuery } from '../../api/host';
import { diffSettings, draftFromVm, validateDraft, type SettingsDraft } from './settingsDraft';
import { useSingleFlight } from '../../shared/useSingleFlight';
import './settings.css';

type PageId =
  | 'memory'
  | 'processor'
  | 'hard-drive'
  | 'network-adapter'
  | 'name'
  | 'integration'
  | 'checkpoints'
  | 'start-action'
  | 'stop-action';

const GROUPS: readonly { title: string; pages: readonly { id: PageId; caption: string }[] }[] = [
  {
    title: 'Hardware',
    pages: [
      { id: 'memory', caption: 'Memory' },
      { id: 'processor', caption: 'Processor' },
      { id: 'hard-drive', caption: 'Hard Drive' },
      { id: 'network-adapter', caption: 'Network Adapter' },
    ],
  },
  {
    title: 'Management',
    pages: [
      { id: 'name', caption: 'Name' },
      { id: 'integration', caption: 'Integration Services' },
      { id: 'checkpoints', caption: 'Checkpoints' },
      { id: 'start-action', caption: 'Automatic Start Action' },
      { id: 'stop-action', caption: 'Automatic Stop Action' },
    ],
  },
];

/** Settings for <VM>: loads the VM's details, then hands them to the form. */
export function SettingsDialog({ vmId }: { vmId: VmId }) {
  const close = useUiStore((s) => s.closeDialog);
  const { data: vm, error } = useQuery(vmQuery(vmId));
  const { data: vms } = useQuery(vmsQuery());
  const listedName = vms?.find((v) => v.id === vmId)?.name;
  if (!vm) {
    return (
      <Dialog
        title={listedName ? `Settings for ${listedName}` : 'Settings'}
        onCancel={close}
        buttons={
          <button type="button" onClick={close}>
            Cancel
          </button>
        }
      >
        {error ? (
          <ErrorSummary summary="The settings could not be loaded." error={error} />
        ) : (
          <p>Loading settings...</p>
        )}
      </Dialog>
    );
  }
  return <SettingsForm vm={vm} onClose={close} />;
}

export function SettingsForm({ vm, onClose }: { vm: VmDetail; onClose: () => void }) {
  const [saved, setSaved] = useState<SettingsDraft>(() => draftFromVm(vm));
  const [draft, setDraft] = useState<SettingsDraft>(saved);
  const [page, setPage] = useState<PageId>('memory');
  const [problem, setProblem] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const update = useUpdateVm();
  const flight = useSingleFlight(update.isPending);
  const { data: host } = useQuery(hostQuery());
  const changes = diffSettings(saved, draft);
  const network = useNetworkAdapterChoice(vm);
  const dirty = Object.keys(changes).length > 0 || network.dirty;
  const problems = hardwareProblems(draft, host?.logicalProcessorCount);
  const problemPage = (
    ['memoryStartupMB', 'memoryMinimumMB', 'memoryMaximumMB', 'memoryBufferPercent'] as const
  ).some((field) => problems[field] !== undefined)
    ? 'memory'
    : problems.processorCount === undefined
      ? null
      : 'processor';
  // Hyper-V Manager greys these out unless the VM is Off (the server refuses them otherwise).
  const lockedReason =
    vm.state === 'Off'
      ? null
      : 'Some settings cannot be modified because the virtual machine was running when this window was opened.';

  const onChange = (patch: Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setProblem(null);
  };

  const save = (thenClose: boolean) => {
    if (!dirty) {
      if (thenClose) onClose();
      return;
    }
    if (problemPage !== null) {
      // The problem is shown next to its field: show that page.
      setPage(problemPage);
      return;
    }
    const invalid = validateDraft(draft);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    flight.start(() =>
      network
        .apply()
        .then(() =>
          Object.keys(changes).length > 0
            ? update.mutateAsync({ vmId: vm.id, update: changes })
            : null,
        )
        .then((detail) => {
          if (detail === null) {
            if (thenClose) onClose();
            return;
          }
          if (thenClose) onClose();
          else {
            const next = draftFromVm(detail);
            setSaved(next);
            setDraft(next);
          }
        }),
    );
  };

  const pageProps = { draft, onChange };
  const hardwareProps = { ...pageProps, problems, lockedReason };
  return (
    <Dialog
      title={
        <>
          Settings for <bdi>{vm.name}</bdi>
        </>
      }
      onCancel={onClose}
      width={760}
      className="settings-dialog"
      buttons={
        <>
          <button
            type="button"
            className="default-button"
            disabled={flight.busy}
            onClick={() => save(true)}
          >
            OK
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" disabled={!dirty || flight.busy} onClick={() => save(false)}>
            Apply
          </button>
        </>
      }
    >
      <div className="settings-layout">
        <div className="settings-nav">
          {GROUPS.map((group) => (
            <div key={group.title} className="settings-group">
              <div className="settings-group-title" id={`group-${group.title}`}>
                {group.title}
              </div>
              <div
                role="tablist"
                aria-labelledby={`group-${group.title}`}
                aria-orientation="vertical"
              >
                {group.pages.map((p) => (
                  <button
                    key={p.id}
                    type="button"
                    role="tab"
                    aria-selected={page === p.id}
                    className="settings-tab"
                    onClick={() => setPage(p.id)}
                  >
                    {p.caption}
                  </button>
                ))}
              </div>
            </div>
          ))}
        </div>
        <div
          role="tabpanel"
          className="settings-panel"
          aria-label={GROUPS.flatMap((g) => g.pages).find((p) => p.id === page)?.caption}
        >
          {page === 'memory' && <MemoryPage {...hardwareProps} />}
          {page === 'processor' && <ProcessorPage {...hardwareProps} />}
          {page === 'hard-drive' && (
            <HardDrivePage hardDrives={vm.hardDrives} onInspect={setInspecting} />
          )}
          {page === 'network-adapter' && <NetworkAdapterPage vm={vm} choice={network} />}
          {page === 'start-action' && <AutomaticStartPage {...pageProps} />}
          {page === 'stop-action' && <AutomaticStopPage {...pageProps} />}
          {page === 'name' && <NamePage {...pageProps} />}
          {page === 'integration' && <IntegrationServicesPage {...pageProps} />}
          {page === 'checkpoints' && (
            <CheckpointsPage {...pageProps} checkpointCount={vm.checkpointCount} />
          )}
          {problem && (
            <p role="alert" className="error-text">
              {problem}
            </p>
          )}
          <ErrorSummary summary="The changes could not be applied." error={update.error} />
          <ErrorSummary
            summary="The network adapter could not be connected."
            error={network.error}
          />
        </div>
      </div>
      {inspecting !== null && (
        <InspectDiskDialog path={inspecting} onClose={() => setInspecting(null)} />
      )}
    </Dialog>
  );
}
