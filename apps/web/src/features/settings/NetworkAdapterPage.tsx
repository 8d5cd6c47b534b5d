import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { VmDetail } from '@hvm/engine';
import { setAdapterSwitch, switchKeys, switchesQuery } from '../../api/switches';
import { invalidateVm } from '../vms/useVmMutations';

/** The value of "Not connected" in the switch list (no switch id looks like it). */
const NOT_CONNECTED = '';

export interface NetworkAdapterChoice {
  /** The switch chosen on the page: an id, or '' for Not connected. */
  switchId: string;
  choose: (switchId: string) => void;
  dirty: boolean;
  /** Connects or disconnects the adapter as chosen (OK / Apply); nothing when unchanged. */
  apply: () => Promise<void>;
  /** Why the last apply failed (null: it did not). */
  error: unknown;
}

/**
 * The Network Adapter page's choice, held by the Settings dialog so that it survives moving to
 * another page and is applied with the dialog's OK / Apply (Connect-/Disconnect-VMNetworkAdapter).
 */
export function useNetworkAdapterChoice(vm: VmDetail): NetworkAdapterChoice {
  const queryClient = useQueryClient();
  const current = vm.networkAdapters?.[0]?.switchId ?? NOT_CONNECTED;
  const [saved, setSaved] = useState(current);
  const [switchId, setSwitchId] = useState(current);
  const [error, setError] = useState<unknown>(null);
  return {
    switchId,
    choose: setSwitchId,
    dirty: switchId !== saved,
    error,
    apply: async () => {
      if (switchId === saved) return;
      setError(null);
      try {
        await setAdapterSwitch(vm.id, switchId === NOT_CONNECTED ? null : switchId);
      } catch (failure) {
        setError(failure);
        throw failure;
      }
      setSaved(switchId);
      await Promise.all([
        invalidateVm(queryClient, vm.id),
        queryClient.invalidateQueries({ queryKey: switchKeys.all }),
      ]);
    },
  };
}

/**
 * Hardware → Network Adapter: which virtual switch the VM's adapter is connected to, or Not
 * connected. A running VM's adapter may move too, as in Hyper-V. The MAC address is the simulated
 * dynamic one PowerShell shows (Get-VMNetworkAdapter); this page does not show it.
 */
export function NetworkAdapterPage({ vm, choice }: { vm: VmDetail; choice: NetworkAdapterChoice }) {
  const id = useId();
  const { data: switches, error } = useQuery(switchesQuery());
  const adapter = vm.networkAdapters?.[0];
  // A switch the list does not hold (a Checkpoint Operator sees no list): shown by its name.
  const known = switches?.some((s) => s.id === choice.switchId) ?? false;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Network Adapter</h3>
      <p className="page-intro">Choose the virtual switch this network adapter is connected to.</p>
      <div className="field-block">
        <label htmlFor={`${id}-switch`} className="field-label">
          Virtual switch:
        </label>
        <select
          id={`${id}-switch`}
          className="wide"
          value={choice.switchId}
          onChange={(e) => choice.choose(e.target.value)}
        >
          <option value={NOT_CONNECTED}>Not connected</option>
          {!known && choice.switchId !== NOT_CONNECTED && (
            <option value={choice.switchId}>{adapter?.switchName ?? choice.switchId}</option>
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
    </div>
  );
}
