/**
 * The host's switches in memory and which one a VM's record names: the part of the switch model
 * the VM views read (`vm/vmView.ts`), below the use cases of `virtualSwitches.ts`.
 *
 * "Default Switch" is always there: Windows 10 (1709 and later) and 11 create it, an Internal
 * switch with NAT, with the same ID on every machine (tools find it by that ID: canonical/multipass,
 * crc-org/crc), and it cannot be removed.
 *
 * Each of a VM's network adapters holds the ID of the switch it is connected to (`vm/vmDevices.ts`
 * reads older records). An ID that names no switch (a switch removed while the VM's record was
 * being written, a VM imported from another host) reads as "Not connected".
 */
import type { HostContext } from '../host/hostContext.js';
import type { NetworkAdapterRecord, VmFile } from '../persistence/records.js';
import { adapterRecordsOf, macAddressOf } from '../vm/vmDevices.js';
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

/** The switch an adapter names, or null when it names none that exists. */
export function switchOfAdapter(
  ctx: HostContext,
  record: NetworkAdapterRecord,
): SwitchRecord | null {
  if (record.switchId === null) return null;
  return allSwitches(ctx).find((s) => s.id === record.switchId) ?? null;
}

/** How many of the VM's adapters are connected to the switch. */
export function adaptersOnSwitch(ctx: HostContext, file: VmFile, switchId: string): number {
  return adapterRecordsOf(file.configuration, file.id).filter(
    (r) => switchOfAdapter(ctx, r)?.id === switchId,
  ).length;
}

/** An adapter as Get-VMNetworkAdapter and the Settings dialog show it. */
export function toNetworkAdapter(ctx: HostContext, record: NetworkAdapterRecord): NetworkAdapter {
  const connected = switchOfAdapter(ctx, record);
  return {
    id: record.id,
    name: record.name,
    isLegacy: record.isLegacy,
    switchId: connected?.id ?? null,
    switchName: connected?.name ?? null,
    macAddress: macAddressOf(record),
    dynamicMacAddressEnabled: record.staticMacAddress === null,
  };
}

/** The VM's network adapters, in the order they were added. */
export function networkAdaptersOf(ctx: HostContext, file: VmFile): NetworkAdapter[] {
  return adapterRecordsOf(file.configuration, file.id).map((r) => toNetworkAdapter(ctx, r));
}
