import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { VirtualSwitch, VirtualSwitchType } from '@hvm/engine';
import {
  createSwitch,
  removeSwitch,
  switchKeys,
  switchesQuery,
  updateSwitch,
} from '../../api/switches';
import { vmKeys } from '../../api/vms';
import { hostQuery } from '../../api/host';
import { Dialog } from '../../shared/Dialog';
import { LoadingDialog } from '../../shared/LoadingDialog';
import { OkCancelApplyButtons } from '../../shared/OkCancelApplyButtons';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSingleFlight } from '../../shared/useSingleFlight';
import { useUiStore } from '../../stores/uiStore';
import { useCan } from '../signIn/usePermissions';
import './switches.css';

/** A switch as the dialog holds it until Apply: an existing one (with its id) or a new one. */
interface SwitchDraft {
  key: string;
  id: string | null;
  name: string;
  notes: string;
  switchType: VirtualSwitchType;
  isDefaultSwitch: boolean;
  removed: boolean;
}

const NEW_SWITCH = 'new';

/**
 * What each connection type means, in our words after Hyper-V Manager's (its exact sentences are
 * not reproduced): External reaches the physical network through one of the host's adapters,
 * Internal the VMs and the host, Private the VMs only (New-VMSwitch reference, -SwitchType).
 */
const TYPES: readonly { type: VirtualSwitchType; caption: string; description: string }[] = [
  {
    type: 'External',
    caption: 'External',
    description:
      'Binds to a physical network adapter so that virtual machines reach the physical network. This host has no physical network adapter to bind to.',
  },
  {
    type: 'Internal',
    caption: 'Internal',
    description:
      'Connects the virtual machines on this host with each other and with this host, without a physical network.',
  },
  {
    type: 'Private',
    caption: 'Private',
    description: 'Connects only the virtual machines on this host with each other.',
  },
];

const toDraft = (s: VirtualSwitch): SwitchDraft => ({
  key: s.id,
  id: s.id,
  name: s.name,
  notes: s.notes,
  switchType: s.switchType,
  isDefaultSwitch: s.isDefaultSwitch,
  removed: false,
});

/** Virtual Switch Manager: loads the host's switches, then hands them to the form. */
export function VirtualSwitchManagerDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const { data, error } = useQuery(switchesQuery());
  if (!data) {
    return (
      <LoadingDialog
        title="Virtual Switch Manager"
        what="virtual switches"
        failure="The virtual switches could not be loaded."
        error={error}
        onClose={close}
      />
    );
  }
  return <VirtualSwitchManagerForm switches={data} onClose={close} />;
}

export function VirtualSwitchManagerForm({
  switches,
  onClose,
}: {
  switches: readonly VirtualSwitch[];
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const { data: host } = useQuery(hostQuery());
  const canChange = useCan('manageHost');
  const [saved, setSaved] = useState<SwitchDraft[]>(() => switches.map(toDraft));
  const [drafts, setDrafts] = useState<SwitchDraft[]>(saved);
  const [selected, setSelected] = useState<string>(switches[0]?.id ?? NEW_SWITCH);
  const [newType, setNewType] = useState<VirtualSwitchType>('Internal');
  const [created, setCreated] = useState(0);
  const [failure, setFailure] = useState<unknown>(null);
  const flight = useSingleFlight();
  const shown = drafts.filter((d) => !d.removed);
  const current = shown.find((d) => d.key === selected) ?? null;
  const dirty = JSON.stringify(drafts) !== JSON.stringify(saved);

  const change = (key: string, patch: Partial<SwitchDraft>) =>
    setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  const createDraft = () => {
    const key = `new-${created + 1}`;
    setCreated((n) => n + 1);
    setDrafts((all) => [
      ...all,
      {
        key,
        id: null,
        name: 'New Virtual Switch',
        notes: '',
        switchType: newType,
        isDefaultSwitch: false,
        removed: false,
      },
    ]);
    setSelected(key);
  };

  const remove = (key: string) => {
    change(key, { removed: true });
    setSelected(NEW_SWITCH);
  };

  /** Removals first (a name may be reused), then new switches, then changes. */
  const apply = async (): Promise<boolean> => {
    setFailure(null);
    try {
      for (const d of drafts) if (d.removed && d.id !== null) await removeSwitch(d.id);
      for (const d of drafts) {
        if (d.removed) continue;
        if (d.id === null) {
          await createSwitch({ name: d.name, switchType: d.switchType, notes: d.notes });
          continue;
        }
        const before = saved.find((s) => s.key === d.key);
        if (before === undefined) continue;
        const update = {
          ...(d.name === before.name ? {} : { name: d.name }),
          ...(d.notes === before.notes ? {} : { notes: d.notes }),
          ...(d.switchType === before.switchType ? {} : { switchType: d.switchType }),
        };
        if (Object.keys(update).length > 0) await updateSwitch(d.id, update);
      }
      return true;
    } catch (error) {
      setFailure(error);
      return false;
    } finally {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: vmKeys.all }),
        queryClient.invalidateQueries({ queryKey: switchKeys.all }),
      ]);
      const fresh = await queryClient.fetchQuery(switchesQuery());
      const next = fresh.map(toDraft);
      setSaved(next);
      setDrafts(next);
      setSelected((key) => (next.some((d) => d.key === key) ? key : (next[0]?.key ?? NEW_SWITCH)));
    }
  };

  const onApply = (thenClose: boolean) => {
    if (!dirty || !canChange) {
      if (thenClose) onClose();
      return;
    }
    flight.start(() =>
      apply().then((ok) => {
        if (ok && thenClose) onClose();
      }),
    );
  };

  return (
    <Dialog
      title={`Virtual Switch Manager for ${host?.name ?? 'this host'}`}
      onCancel={onClose}
      width={760}
      className="settings-dialog switch-manager"
      buttons={
        <OkCancelApplyButtons
          onOk={() => onApply(true)}
          onCancel={onClose}
          onApply={() => onApply(false)}
          busy={flight.busy}
          applyDisabled={!dirty || !canChange}
        />
      }
    >
      <div className="settings-layout">
        <div className="settings-nav">
          <div className="settings-group">
            <div className="settings-group-title" id="switches-title">
              Virtual Switches
            </div>
            <div role="tablist" aria-labelledby="switches-title" aria-orientation="vertical">
              <button
                type="button"
                role="tab"
                aria-selected={selected === NEW_SWITCH}
                className="settings-tab"
                onClick={() => setSelected(NEW_SWITCH)}
              >
                New virtual network switch
              </button>
              {shown.map((d) => (
                <button
                  key={d.key}
                  type="button"
                  role="tab"
                  aria-selected={selected === d.key}
                  aria-label={d.name}
                  className="settings-tab switch-tab"
                  onClick={() => setSelected(d.key)}
                >
                  <bdi>{d.name}</bdi>
                  <span className="switch-tab-type">{typeCaption(d)}</span>
                </button>
              ))}
            </div>
          </div>
        </div>
        <div
          role="tabpanel"
          className="settings-panel"
          aria-label={current === null ? 'Create virtual switch' : 'Virtual Switch Properties'}
        >
          {current === null ? (
            <NewSwitchPane
              type={newType}
              onType={setNewType}
              onCreate={createDraft}
              disabled={!canChange}
            />
          ) : (
            <SwitchPropertiesPane
              draft={current}
              onChange={(patch) => change(current.key, patch)}
              onRemove={() => remove(current.key)}
              disabled={!canChange}
            />
          )}
          {!canChange && (
            <p className="explain">Only an administrator can change the virtual switches.</p>
          )}
          <ErrorSummary
            summary="The virtual switch changes could not be applied."
            error={failure}
          />
        </div>
      </div>
    </Dialog>
  );
}

function typeCaption(d: SwitchDraft): string {
  return `${d.switchType} virtual switch${d.isDefaultSwitch ? ' (Default Switch)' : ''}`;
}

function NewSwitchPane({
  type,
  onType,
  onCreate,
  disabled,
}: {
  type: VirtualSwitchType;
  onType: (type: VirtualSwitchType) => void;
  onCreate: () => void;
  disabled: boolean;
}) {
  const name = useId();
  const description = TYPES.find((t) => t.type === type)?.description ?? '';
  return (
    <div className="settings-page">
      <h3 className="page-heading">Create virtual switch</h3>
      <fieldset className="field-group">
        <legend>What type of virtual switch do you want to create?</legend>
        {TYPES.map((t) => (
          <label key={t.type} className="check">
            <input
              type="radio"
              name={name}
              checked={type === t.type}
              disabled={disabled}
              onChange={() => onType(t.type)}
            />
            {t.caption}
          </label>
        ))}
      </fieldset>
      <p className="explain">{description}</p>
      <button type="button" disabled={disabled || type === 'External'} onClick={onCreate}>
        Create Virtual Switch
      </button>
    </div>
  );
}

function SwitchPropertiesPane({
  draft,
  onChange,
  onRemove,
  disabled,
}: {
  draft: SwitchDraft;
  onChange: (patch: Partial<SwitchDraft>) => void;
  onRemove: () => void;
  disabled: boolean;
}) {
  const id = useId();
  const locked = disabled || draft.isDefaultSwitch;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Virtual Switch Properties</h3>
      {draft.isDefaultSwitch && (
        <p className="explain">
          Windows creates the Default Switch and manages it: it cannot be renamed, changed or
          removed.
        </p>
      )}
      <div className="field-block">
        <label htmlFor={`${id}-name`} className="field-label">
          Name:
        </label>
        <input
          id={`${id}-name`}
          type="text"
          className="wide"
          maxLength={100}
          value={draft.name}
          disabled={locked}
          onChange={(e) => onChange({ name: e.target.value })}
        />
      </div>
      <div className="field-block">
        <label htmlFor={`${id}-notes`} className="field-label">
          Notes:
        </label>
        <textarea
          id={`${id}-notes`}
          className="wide"
          rows={3}
          maxLength={10_000}
          value={draft.notes}
          disabled={locked}
          onChange={(e) => onChange({ notes: e.target.value })}
        />
      </div>
      <fieldset className="field-group">
        <legend>Connection type</legend>
        <label className="check">
          <input type="radio" name={`${id}-type`} checked={false} disabled />
          External network
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-type`}
            checked={draft.switchType === 'Internal'}
            disabled={locked}
            onChange={() => onChange({ switchType: 'Internal' })}
          />
          Internal network
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-type`}
            checked={draft.switchType === 'Private'}
            disabled={locked}
            onChange={() => onChange({ switchType: 'Private' })}
          />
          Private network
        </label>
        <p className="explain">
          External network needs a physical network adapter; this host has none.
        </p>
      </fieldset>
      <button type="button" disabled={locked} onClick={onRemove}>
        Remove
      </button>
    </div>
  );
}
