import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { VmDetail, VmId } from '@hvm/engine';
import { vmQuery, vmsQuery } from '../../api/vms';
import { Dialog } from '../../shared/Dialog';
import { LoadingDialog } from '../../shared/LoadingDialog';
import { OkCancelApplyButtons } from '../../shared/OkCancelApplyButtons';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useUiStore } from '../../stores/uiStore';
import { useUpdateVm } from '../vms/useVmMutations';
import { InspectDiskDialog } from '../disks/InspectDiskDialog';
import { useDeviceDraft } from './useDeviceDraft';
import { SettingsNavList } from './SettingsNavList';
import { settingsPageGroups } from './settingsPageRegistry';
import { hardwareProblems } from './hardwareDraft';
import { hostQuery } from '../../api/host';
import { diffSettings, draftFromVm, validateDraft, type SettingsDraft } from './settingsDraft';
import { useSingleFlight } from '../../shared/useSingleFlight';
import { SettingsServerContext, useSettingsServer } from './settingsServer';
import './settings.css';

/**
 * Settings for <VM>: loads the VM's details, then hands them to the form. `hostPath`: the VM's
 * server when a connection window opened it (settingsServer.ts); the selected server when absent.
 */
export function SettingsDialog({ vmId, hostPath }: { vmId: VmId; hostPath?: string | undefined }) {
  const close = useUiStore((s) => s.closeDialog);
  const { data: vm, error } = useQuery(vmQuery(vmId, hostPath));
  // The main window's list names the VM while its details load (on the selected server only).
  const { data: vms } = useQuery({ ...vmsQuery(), enabled: hostPath === undefined });
  const listedName = vms?.find((v) => v.id === vmId)?.name;
  if (!vm) {
    return (
      <LoadingDialog
        title={listedName ? `Settings for ${listedName}` : 'Settings'}
        what="settings"
        failure="The settings could not be loaded."
        error={error}
        onClose={close}
      />
    );
  }
  return (
    <SettingsServerContext.Provider value={hostPath}>
      <SettingsForm vm={vm} onClose={close} />
    </SettingsServerContext.Provider>
  );
}

/**
 * The Settings dialog's form. `readOnly` shows a checkpoint's settings: its own title, every
 * control disabled, only OK (behaviour spec §3: a checkpoint's settings can be viewed, not changed).
 */
export function SettingsForm({
  vm,
  onClose,
  readOnly,
}: {
  vm: VmDetail;
  onClose: () => void;
  readOnly?: { title: ReactNode };
}) {
  const [saved, setSaved] = useState<SettingsDraft>(() => draftFromVm(vm));
  const [draft, setDraft] = useState<SettingsDraft>(saved);
  const [page, setPage] = useState<string>('memory');
  const [problem, setProblem] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const hostPath = useSettingsServer();
  const update = useUpdateVm(hostPath);
  const flight = useSingleFlight(update.isPending);
  const { data: host } = useQuery(hostQuery(hostPath));
  const changes = diffSettings(saved, draft);
  const devices = useDeviceDraft(vm);
  const dirty = Object.keys(changes).length > 0 || devices.dirty;
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
    vm.state === 'Off' || readOnly !== undefined
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
    // The devices first (adapters, switches, controllers, drives), then the settings.
    flight.start(() =>
      devices
        .apply()
        .then(() =>
          Object.keys(changes).length > 0
            ? update.mutateAsync({ vmId: vm.id, update: changes })
            : null,
        )
        .then((detail) => {
          if (thenClose) onClose();
          else if (detail !== null) {
            const next = draftFromVm(detail);
            setSaved(next);
            setDraft(next);
          }
        }),
    );
  };

  // A checkpoint's settings are Hyper-V's pages only: the simulation's faults belong to the VM now.
  const groups = settingsPageGroups(vm, draft, devices).filter(
    (group) => readOnly === undefined || group.title !== 'Simulation',
  );
  const entries = groups.flatMap((g) => g.pages);
  const shown = entries.find((p) => p.id === page) ?? entries.find((p) => p.id === 'memory');
  const context = {
    vm,
    draft,
    onChange,
    problems,
    lockedReason,
    onInspect: setInspecting,
    devices,
    select: setPage,
    readOnly: readOnly !== undefined,
  };
  const panel = shown?.render(context);
  return (
    <Dialog
      title={
        readOnly?.title ?? (
          <>
            Settings for <bdi>{vm.name}</bdi>
          </>
        )
      }
      onCancel={onClose}
      width={760}
      className="settings-dialog"
      buttons={
        readOnly ? (
          <button type="button" className="default-button" onClick={onClose}>
            OK
          </button>
        ) : (
          <OkCancelApplyButtons
            onOk={() => save(true)}
            onCancel={onClose}
            onApply={() => save(false)}
            busy={flight.busy}
            applyDisabled={!dirty}
          />
        )
      }
    >
      <div className="settings-layout">
        <SettingsNavList groups={groups} selected={shown?.id ?? page} onSelect={setPage} />
        <div role="tabpanel" className="settings-panel" aria-label={shown?.caption}>
          {readOnly ? (
            <fieldset disabled className="settings-readonly">
              {panel}
            </fieldset>
          ) : (
            panel
          )}
          {problem && (
            <p role="alert" className="error-text">
              {problem}
            </p>
          )}
          <ErrorSummary summary="The changes could not be applied." error={update.error} />
          <ErrorSummary
            summary="The hardware changes could not all be applied."
            error={devices.error}
          />
        </div>
      </div>
      {inspecting !== null && (
        <InspectDiskDialog
          path={inspecting}
          onClose={() => setInspecting(null)}
          hostPath={hostPath}
        />
      )}
    </Dialog>
  );
}
