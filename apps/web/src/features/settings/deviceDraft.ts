/**
 * The Settings dialog's pending hardware: devices added with Add Hardware, devices removed with a
 * page's Remove button, each adapter's switch, and hard drives attached to a SCSI controller. As in
 * Hyper-V Manager, nothing reaches the host before OK or Apply; then the changes go one request at
 * a time, removals first (`applyDeviceDraft`).
 */
import type { NetworkAdapter, VmDetail } from '@hvm/engine';

/** Hyper-V's limits (engine vm/vmDevices.ts: Plan for Hyper-V scalability). */
export const MAX_NETWORK_ADAPTERS = 8;
export const MAX_LEGACY_NETWORK_ADAPTERS = 4;
export const MAX_SCSI_CONTROLLERS = 4;

/** The value of "Not connected" in a switch list (no switch id looks like it). */
export const NOT_CONNECTED = '';

export interface PendingAdapter {
  key: string;
  isLegacy: boolean;
}

/** A controller: one the VM has (by its number now) or one added in this dialog (by its key). */
export type ControllerRef = { kind: 'existing'; number: number } | { kind: 'new'; key: string };

export interface PendingDrive {
  key: string;
  controller: ControllerRef;
  /** The virtual hard disk, relative to the data folder or a full path inside it. */
  path: string;
}

export interface DeviceDraft {
  /** The switch chosen for an adapter (by id, or a pending adapter's key); '' is Not connected. */
  switchChoices: Record<string, string>;
  addedAdapters: PendingAdapter[];
  removedAdapterIds: string[];
  addedControllers: string[];
  removedControllers: number[];
  addedDrives: PendingDrive[];
  /** Drives the VM has, removed in the dialog (by controller location, "SCSI 1:0"). */
  removedDrives: string[];
}

export const emptyDeviceDraft = (): DeviceDraft => ({
  switchChoices: {},
  addedAdapters: [],
  removedAdapterIds: [],
  addedControllers: [],
  removedControllers: [],
  addedDrives: [],
  removedDrives: [],
});

export function isDeviceDraftDirty(vm: VmDetail, draft: DeviceDraft): boolean {
  return (
    draft.addedAdapters.length > 0 ||
    draft.removedAdapterIds.length > 0 ||
    draft.addedControllers.length > 0 ||
    draft.removedControllers.length > 0 ||
    draft.addedDrives.length > 0 ||
    draft.removedDrives.length > 0 ||
    changedSwitches(vm, draft).length > 0
  );
}

/** The VM's adapters that stay (not removed in the dialog). */
export function keptAdapters(vm: VmDetail, draft: DeviceDraft): NetworkAdapter[] {
  return (vm.networkAdapters ?? []).filter((a) => !draft.removedAdapterIds.includes(a.id));
}

/** The VM's SCSI controller numbers that stay. */
export function keptControllers(vm: VmDetail, draft: DeviceDraft): number[] {
  return (vm.scsiControllers ?? [])
    .map((c) => c.controllerNumber)
    .filter((n) => !draft.removedControllers.includes(n));
}

/** The switch an adapter (or a pending adapter's key) is to be on. */
export function switchChoiceOf(draft: DeviceDraft, id: string, current: string | null): string {
  return draft.switchChoices[id] ?? current ?? NOT_CONNECTED;
}

function changedSwitches(vm: VmDetail, draft: DeviceDraft): [string, string | null][] {
  return keptAdapters(vm, draft).flatMap((a) => {
    const chosen = switchChoiceOf(draft, a.id, a.switchId);
    return chosen === (a.switchId ?? NOT_CONNECTED)
      ? []
      : [[a.id, chosen === NOT_CONNECTED ? null : chosen] as [string, string | null]];
  });
}

/** Why Add Hardware cannot add the device now (null: it can). */
export function addBlockedReason(
  vm: VmDetail,
  draft: DeviceDraft,
  device: 'SCSI Controller' | 'Network Adapter' | 'Legacy Network Adapter',
): string | null {
  if (device === 'SCSI Controller') {
    if (vm.state !== 'Off')
      return 'SCSI controllers can be added only while the virtual machine is off.';
    const count = keptControllers(vm, draft).length + draft.addedControllers.length;
    return count >= MAX_SCSI_CONTROLLERS
      ? `A virtual machine has at most ${MAX_SCSI_CONTROLLERS} SCSI controllers.`
      : null;
  }
  const isLegacy = device === 'Legacy Network Adapter';
  // Hot add: a running generation 2 VM takes a synthetic adapter (Windows Server 2016 and later).
  const hot = vm.state === 'Running' && vm.generation === 2 && !isLegacy;
  if (vm.state !== 'Off' && !hot)
    return 'This network adapter can be added only while the virtual machine is off.';
  const count =
    keptAdapters(vm, draft).filter((a) => a.isLegacy === isLegacy).length +
    draft.addedAdapters.filter((a) => a.isLegacy === isLegacy).length;
  const limit = isLegacy ? MAX_LEGACY_NETWORK_ADAPTERS : MAX_NETWORK_ADAPTERS;
  return count >= limit ? `A virtual machine has at most ${limit} of these adapters.` : null;
}

/** The operations OK / Apply sends for the draft, in order. */
export interface DeviceApi {
  removeAdapter(adapterId: string): Promise<unknown>;
  setSwitch(adapterId: string, switchId: string | null): Promise<unknown>;
  addAdapter(input: { isLegacy: boolean; switchId: string | null }): Promise<unknown>;
  removeDrive(controllerLocation: string): Promise<unknown>;
  removeController(controllerNumber: number): Promise<unknown>;
  addController(): Promise<unknown>;
  addDrive(controllerNumber: number, path: string): Promise<unknown>;
}

/**
 * Sends the draft: adapters removed, switches changed, adapters added, drives removed, then controllers removed
 * (highest number first, as the later ones move down), controllers added, drives attached. A
 * failure stops there; what was sent stays done (the dialog shows the VM as it now is).
 */
export async function applyDeviceDraft(
  vm: VmDetail,
  draft: DeviceDraft,
  api: DeviceApi,
): Promise<void> {
  for (const id of draft.removedAdapterIds) await api.removeAdapter(id);
  for (const [id, switchId] of changedSwitches(vm, draft)) await api.setSwitch(id, switchId);
  for (const added of draft.addedAdapters) {
    const chosen = switchChoiceOf(draft, added.key, null);
    await api.addAdapter({
      isLegacy: added.isLegacy,
      switchId: chosen === NOT_CONNECTED ? null : chosen,
    });
  }
  for (const location of draft.removedDrives) await api.removeDrive(location);
  const removed = [...draft.removedControllers].sort((a, b) => b - a);
  for (const number of removed) await api.removeController(number);
  const kept = keptControllers(vm, draft);
  // One Add-VMScsiController per controller added in the dialog, one after the other.
  await draft.addedControllers.reduce<Promise<unknown>>(
    (previous) => previous.then(() => api.addController()),
    Promise.resolve(),
  );
  const numberOf = (ref: ControllerRef): number =>
    ref.kind === 'existing'
      ? ref.number - removed.filter((r) => r < ref.number).length
      : kept.length + draft.addedControllers.indexOf(ref.key);
  for (const drive of draft.addedDrives) await api.addDrive(numberOf(drive.controller), drive.path);
}
