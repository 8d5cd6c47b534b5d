import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { switchesQuery } from '../../api/switches';
import { useSettingsServer } from './settingsServer';
import { NOT_CONNECTED, switchChoiceOf } from './deviceDraft';
import type { DeviceEditor } from './useDeviceDraft';

export interface AdapterOnPage {
  /** The adapter's id, or a pending adapter's key. */
  id: string;
  name: string;
  isLegacy: boolean;
  switchId: string | null;
  switchName: string | null;
  /** Twelve hex digits; null for an adapter not yet added. */
  macAddress: string | null;
  pending: boolean;
}

/** "00155D010203" → "00-15-5D-01-02-03", as Hyper-V Manager's Advanced Features page writes it. */
const dashed = (mac: string): string => mac.replace(/(..)(?=.)/g, '$1-');

/**
 * Hardware → Network Adapter (or Legacy Network Adapter): which virtual switch this adapter is
 * connected to, or Not connected, and Remove, as on Hyper-V Manager's page ("To remove the network
 * adapter from this virtual machine, click Remove"; [B] wording as remembered). A running VM's
 * adapter may move too; a running generation 2 VM's synthetic adapter may be removed (hot remove,
 * Windows Server 2016 and later). The change is applied with OK / Apply.
 */
export function NetworkAdapterPage({
  adapter,
  devices,
  removeBlocked,
  onRemoved,
}: {
  adapter: AdapterOnPage;
  devices: DeviceEditor;
  /** Why Remove is unavailable now (null: it is available). */
  removeBlocked: string | null;
  onRemoved: () => void;
}) {
  const id = useId();
  const { data: switches, error } = useQuery(switchesQuery(useSettingsServer()));
  const chosen = switchChoiceOf(devices.draft, adapter.id, adapter.switchId);
  // A switch the list does not hold (a Checkpoint Operator sees no list): shown by its name.
  const known = switches?.some((s) => s.id === chosen) ?? false;
  const caption = adapter.isLegacy ? 'Legacy Network Adapter' : 'Network Adapter';
  return (
    <div className="settings-page">
      <h3 className="page-heading">{caption}</h3>
      <p className="page-intro">
        Specify the configuration of the network adapter or remove the network adapter.
      </p>
      {adapter.name !== caption && <p className="explain">Name: {adapter.name}</p>}
      <div className="field-block">
        <label htmlFor={`${id}-switch`} className="field-label">
          Virtual switch:
        </label>
        <select
          id={`${id}-switch`}
          className="wide"
          value={chosen}
          onChange={(e) => devices.chooseSwitch(adapter.id, e.target.value)}
        >
          <option value={NOT_CONNECTED}>Not connected</option>
          {!known && chosen !== NOT_CONNECTED && (
            <option value={chosen}>{adapter.switchName ?? chosen}</option>
          )}
          {(switches ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      {error !== null && (
        <p className="explain">The list of virtual switches could not be loaded.</p>
      )}
      <p className="explain">
        MAC address:{' '}
        {adapter.macAddress === null
          ? 'Dynamic (assigned when the adapter is added)'
          : dashed(adapter.macAddress)}
      </p>
      <p className="explain" id={`${id}-remove`}>
        {removeBlocked ?? 'To remove the network adapter from this virtual machine, click Remove.'}
      </p>
      <div className="add-hardware-row">
        <button
          type="button"
          disabled={removeBlocked !== null}
          aria-describedby={`${id}-remove`}
          onClick={() => {
            devices.removeAdapter(adapter.id);
            onRemoved();
          }}
        >
          Remove
        </button>
      </div>
    </div>
  );
}
