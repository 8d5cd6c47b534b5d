/**
 * The host's switches in memory and which one a VM's record names: the part of the switch model
 * the VM views read (`vm/vmView.ts`), below the use cases of `virtualSwitches.ts`.
 *
 * "Default Switch" is always there: Windows 10 (1709 and later) and 11 create it, an Internal
 * switch with NAT, with the same ID on every machine (tools find it by that ID: canonical/multipass,
 * crc-org/crc), and it cannot be removed.
 *
 * A VM's configuration holds the ID of the switch its adapter is connected to (`networkSwitchId`; absent
 * in records written before switches existed: the Default Switch, where every VM was). An ID that
 * names no switch (a switch removed while the VM's record was being written, a VM imported from
 * another host) reads as "Not connected".
 */
import type { HostContext } from '../host/hostContext.js';
import type { VmFile } from '../persistence/records.js';
import type { NetworkAdapter, VirtualSwitchType } from './switchTypes.js';

export interface SwitchRecord {
  id: string;
  name: string;
  switchType: VirtualSwitchType;
  notes: string;
}

/** Windows' Default Switch (see the file comment). */
export const DEFAULT_SWITCH = {
  id: 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444',
  name: 'Default Switch',
  switchType: 'Internal',
  notes: '',
} as const satisfies SwitchRecord;

/** The name Hyper-V gives a VM's network adapter (Get-VMNetworkAdapter's Name). */
export const NETWORK_ADAPTER_NAME = 'Network Adapter';

const switchesOfHost = new WeakMap<HostContext, SwitchRecord[]>();

/** The switches an administrator created (not the Default Switch). */
export function createdSwitches(ctx: HostContext): SwitchRecord[] {
  return switchesOfHost.get(ctx) ?? [];
}

export function setCreatedSwitches(ctx: HostContext, records: SwitchRecord[]): void {
  switchesOfHost.set(ctx, records);
}

export function allSwitches(ctx: HostContext): SwitchRecord[] {
  return [DEFAULT_SWITCH, ...createdSwitches(ctx)];
}

/** The switch a VM's record names, or null when it names none that exists. */
export function switchOfVm(ctx: HostContext, file: VmFile): SwitchRecord | null {
  const saved = file.configuration.networkSwitchId;
  const id = saved === undefined ? DEFAULT_SWITCH.id : saved;
  if (id === null) return null;
  return allSwitches(ctx).find((s) => s.id === id) ?? null;
}

/** The VM's one network adapter, as Get-VMNetworkAdapter and the Settings dialog show it. */
export function networkAdaptersOf(ctx: HostContext, file: VmFile): NetworkAdapter[] {
  const connected = switchOfVm(ctx, file);
  return [
    {
      name: NETWORK_ADAPTER_NAME,
      switchId: connected?.id ?? null,
      switchName: connected?.name ?? null,
    },
  ];
}
