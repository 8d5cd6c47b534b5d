import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { HostInfo } from '@hvm/engine';
import { hostKeys, hostQuery } from '../../api/host';
import { updateHostSettings } from '../../api/switches';
import { Dialog } from '../../shared/Dialog';
import { LoadingDialog } from '../../shared/LoadingDialog';
import { OkCancelApplyButtons } from '../../shared/OkCancelApplyButtons';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSingleFlight } from '../../shared/useSingleFlight';
import { useUiStore } from '../../stores/uiStore';
import { sessionQuery } from '../signIn/sessionApi';
import { useCan } from '../signIn/usePermissions';
import {
  KEYBOARD_OPTIONS,
  readKeyboardSetting,
  writeKeyboardSetting,
  type KeyboardSetting,
} from './keyboardSetting';
import '../settings/settings.css';

type PageId = 'virtual-hard-disks' | 'virtual-machines' | 'keyboard';

/** Hyper-V Settings' left list: the Server section, then the User section (behaviour spec §7). */
const GROUPS: readonly { title: string; pages: readonly { id: PageId; caption: string }[] }[] = [
  {
    title: 'Server',
    pages: [
      { id: 'virtual-hard-disks', caption: 'Virtual Hard Disks' },
      { id: 'virtual-machines', caption: 'Virtual Machines' },
    ],
  },
  { title: 'User', pages: [{ id: 'keyboard', caption: 'Keyboard' }] },
];

/** Hyper-V Settings: loads the host, then hands its folders to the form. */
export function HyperVSettingsDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const { data: host, error } = useQuery(hostQuery());
  const { data: session } = useQuery(sessionQuery());
  if (!host) {
    return (
      <LoadingDialog
        title="Hyper-V Settings"
        what="settings"
        failure="The settings could not be loaded."
        error={error}
        onClose={close}
      />
    );
  }
  return (
    <HyperVSettingsForm host={host} user={session?.user?.name ?? 'Administrator'} onClose={close} />
  );
}

interface Draft {
  virtualHardDiskPath: string;
  virtualMachinePath: string;
  keyboard: KeyboardSetting;
}

export function HyperVSettingsForm({
  host,
  user,
  onClose,
}: {
  host: HostInfo;
  user: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const canChangeServer = useCan('manageHost');
  const initial = (info: HostInfo): Draft => ({
    virtualHardDiskPath: info.virtualHardDiskPath ?? 'Virtual Hard Disks',
    virtualMachinePath: info.virtualMachinePath ?? '.',
    keyboard: readKeyboardSetting(user),
  });
  const [saved, setSaved] = useState<Draft>(() => initial(host));
  const [draft, setDraft] = useState<Draft>(saved);
  const [page, setPage] = useState<PageId>('virtual-hard-disks');
  const [failure, setFailure] = useState<unknown>(null);
  const flight = useSingleFlight();
  const serverChanged =
    draft.virtualHardDiskPath !== saved.virtualHardDiskPath ||
    draft.virtualMachinePath !== saved.virtualMachinePath;
  const dirty = serverChanged || draft.keyboard !== saved.keyboard;

  const save = (thenClose: boolean) => {
    if (!dirty) {
      if (thenClose) onClose();
      return;
    }
    setFailure(null);
    writeKeyboardSetting(user, draft.keyboard);
    if (!serverChanged || !canChangeServer) {
      setSaved((s) => ({ ...s, keyboard: draft.keyboard }));
      if (thenClose) onClose();
      return;
    }
    flight.start(() =>
      updateHostSettings({
        virtualHardDiskPath: draft.virtualHardDiskPath,
        virtualMachinePath: draft.virtualMachinePath,
      }).then(
        (info) => {
          queryClient.setQueryData(hostKeys.host, info);
          if (thenClose) onClose();
          else {
            const next = initial(info);
            setSaved(next);
            setDraft(next);
          }
        },
        (error: unknown) => setFailure(error),
      ),
    );
  };

  const folderPage = (field: 'virtualHardDiskPath' | 'virtualMachinePath') => (
    <FolderPage
      heading={field === 'virtualHardDiskPath' ? 'Virtual Hard Disks' : 'Virtual Machines'}
      intro={
        field === 'virtualHardDiskPath'
          ? 'Specify the default folder to store virtual hard disk files.'
          : 'Specify the default folder to store virtual machine configuration files.'
      }
      value={draft[field]}
      disabled={!canChangeServer}
      onChange={(value) => setDraft((d) => ({ ...d, [field]: value }))}
    />
  );

  return (
    <Dialog
      title={`Hyper-V Settings for ${host.name}`}
      onCancel={onClose}
      width={700}
      className="settings-dialog"
      buttons={
        <OkCancelApplyButtons
          onOk={() => save(true)}
          onCancel={onClose}
          onApply={() => save(false)}
          busy={flight.busy}
          applyDisabled={!dirty}
        />
      }
    >
      <div className="settings-layout">
        <div className="settings-nav">
          {GROUPS.map((group) => (
            <div key={group.title} className="settings-group">
              <div className="settings-group-title" id={`hv-group-${group.title}`}>
                {group.title}
              </div>
              <div
                role="tablist"
                aria-labelledby={`hv-group-${group.title}`}
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
          {page === 'virtual-hard-disks' && folderPage('virtualHardDiskPath')}
          {page === 'virtual-machines' && folderPage('virtualMachinePath')}
          {page === 'keyboard' && (
            <KeyboardPage
              value={draft.keyboard}
              onChange={(keyboard) => setDraft((d) => ({ ...d, keyboard }))}
            />
          )}
          {!canChangeServer && page !== 'keyboard' && (
            <p className="explain">Only an administrator can change the server settings.</p>
          )}
          <ErrorSummary summary="The settings could not be applied." error={failure} />
        </div>
      </div>
    </Dialog>
  );
}

function FolderPage({
  heading,
  intro,
  value,
  disabled,
  onChange,
}: {
  heading: string;
  intro: string;
  value: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">{heading}</h3>
      <p className="page-intro">{intro}</p>
      <div className="field-block">
        <label htmlFor={`${id}-folder`} className="field-label">
          Folder (in the host&apos;s data folder; . is the data folder itself):
        </label>
        <input
          id={`${id}-folder`}
          type="text"
          className="wide"
          maxLength={260}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
    </div>
  );
}

function KeyboardPage({
  value,
  onChange,
}: {
  value: KeyboardSetting;
  onChange: (value: KeyboardSetting) => void;
}) {
  const name = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">Keyboard</h3>
      <fieldset className="field-group">
        <legend>Use Windows key combinations:</legend>
        {KEYBOARD_OPTIONS.map((o) => (
          <label key={o.value} className="check">
            <input
              type="radio"
              name={name}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            {o.caption}
          </label>
        ))}
      </fieldset>
      <p className="explain">
        Kept for you in this browser. The simulated guests take no keyboard input yet, so Virtual
        Machine Connection has nothing to send the combinations to.
      </p>
    </div>
  );
}
