/**
 * The Settings dialog's hold on its pending hardware (`deviceDraft.ts`): what Add Hardware, the
 * Remove buttons, the switch lists and the controller pages change, applied with OK / Apply.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { VmDetail } from '@hvm/engine';
import {
  addNetworkAdapter,
  addScsiController,
  addScsiHardDrive,
  removeHardDrive,
  removeNetworkAdapter,
  removeScsiController,
  setAdapterSwitch,
  switchKeys,
  switchesQuery,
} from '../../api/switches';
import { keyOnServer } from '../../api/serverKeys';
import { invalidateVm } from '../vms/useVmMutations';
import { useSettingsServer } from './settingsServer';
import {
  applyDeviceDraft,
  emptyDeviceDraft,
  isDeviceDraftDirty,
  type ControllerRef,
  type DeviceDraft,
} from './deviceDraft';

export type AddableDevice = 'SCSI Controller' | 'Network Adapter' | 'Legacy Network Adapter';

export interface DeviceEditor {
  draft: DeviceDraft;
  dirty: boolean;
  /** Adds the device to the draft; returns the page id of the new item. */
  add: (device: AddableDevice) => string;
  chooseSwitch: (adapterIdOrKey: string, switchId: string) => void;
  removeAdapter: (adapterIdOrKey: string) => void;
  removeController: (controller: ControllerRef) => void;
  /** Attaches a new hard drive to the controller; returns the page id of the new item. */
  addDrive: (controller: ControllerRef) => string;
  setDrivePath: (key: string, path: string) => void;
  /** Removes a drive the VM has (Remove-VMHardDiskDrive on OK / Apply; the file stays). */
  removeExistingDrive: (controllerLocation: string) => void;
  removeDrive: (key: string) => void;
  /** Sends the draft (OK / Apply); nothing when unchanged. */
  apply: () => Promise<void>;
  /** Why the last apply failed (null: it did not). */
  error: unknown;
  /** A virtual switch's name, once the list of switches is loaded; null before or when unknown. */
  switchNameOf: (switchId: string) => string | null;
}

export const adapterPageId = (idOrKey: string): string => `network-adapter:${idOrKey}`;
export const controllerPageId = (ref: ControllerRef): string =>
  ref.kind === 'existing' ? `controller:SCSI ${ref.number}` : `controller:new:${ref.key}`;
export const pendingDrivePageId = (key: string): string => `hard-drive:new:${key}`;

export function useDeviceDraft(vm: VmDetail): DeviceEditor {
  const queryClient = useQueryClient();
  const hostPath = useSettingsServer();
  const prefix = useId();
  const counter = useRef(0);
  const [draft, setDraft] = useState<DeviceDraft>(emptyDeviceDraft);
  const [error, setError] = useState<unknown>(null);
  const newKey = () => {
    counter.current += 1;
    return `${prefix}${counter.current}`;
  };
  const change = (fn: (d: DeviceDraft) => DeviceDraft) => setDraft((d) => fn(d));
  const sameRef = (a: ControllerRef, b: ControllerRef) =>
    a.kind === 'existing'
      ? b.kind === 'existing' && a.number === b.number
      : b.kind === 'new' && a.key === b.key;
  const { data: switches } = useQuery(switchesQuery(hostPath));
  return {
    draft,
    dirty: isDeviceDraftDirty(vm, draft),
    error,
    switchNameOf: (switchId) => switches?.find((s) => s.id === switchId)?.name ?? null,
    add: (device) => {
      const key = newKey();
      if (device === 'SCSI Controller') {
        change((d) => ({ ...d, addedControllers: [...d.addedControllers, key] }));
        return controllerPageId({ kind: 'new', key });
      }
      const isLegacy = device === 'Legacy Network Adapter';
      change((d) => ({ ...d, addedAdapters: [...d.addedAdapters, { key, isLegacy }] }));
      return adapterPageId(key);
    },
    chooseSwitch: (id, switchId) =>
      change((d) => ({ ...d, switchChoices: { ...d.switchChoices, [id]: switchId } })),
    removeAdapter: (id) =>
      change((d) =>
        d.addedAdapters.some((a) => a.key === id)
          ? { ...d, addedAdapters: d.addedAdapters.filter((a) => a.key !== id) }
          : { ...d, removedAdapterIds: [...d.removedAdapterIds, id] },
      ),
    removeController: (ref) =>
      change((d) => ({
        ...d,
        addedControllers:
          ref.kind === 'new' ? d.addedControllers.filter((k) => k !== ref.key) : d.addedControllers,
        removedControllers:
          ref.kind === 'existing' ? [...d.removedControllers, ref.number] : d.removedControllers,
        addedDrives: d.addedDrives.filter((drive) => !sameRef(drive.controller, ref)),
      })),
    addDrive: (controller) => {
      const key = newKey();
      change((d) => ({ ...d, addedDrives: [...d.addedDrives, { key, controller, path: '' }] }));
      return pendingDrivePageId(key);
    },
    setDrivePath: (key, path) =>
      change((d) => ({
        ...d,
        addedDrives: d.addedDrives.map((drive) => (drive.key === key ? { ...drive, path } : drive)),
      })),
    removeExistingDrive: (location) =>
      change((d) => ({ ...d, removedDrives: [...d.removedDrives, location] })),
    removeDrive: (key) =>
      change((d) => ({ ...d, addedDrives: d.addedDrives.filter((drive) => drive.key !== key) })),
    apply: async () => {
      if (!isDeviceDraftDirty(vm, draft)) return;
      setError(null);
      try {
        await applyDeviceDraft(vm, draft, {
          removeAdapter: (id) => removeNetworkAdapter(vm.id, id, hostPath),
          setSwitch: (id, switchId) => setAdapterSwitch(vm.id, id, switchId, hostPath),
          addAdapter: (input) => addNetworkAdapter(vm.id, input, hostPath),
          removeDrive: (location) => removeHardDrive(vm.id, location, hostPath),
          removeController: (n) => removeScsiController(vm.id, n, hostPath),
          addController: () => addScsiController(vm.id, hostPath),
          addDrive: (n, path) => addScsiHardDrive(vm.id, n, path, hostPath),
        });
        setDraft(emptyDeviceDraft());
      } catch (failure) {
        setError(failure);
        // What was sent stays done: start again from the VM as it now is.
        setDraft(emptyDeviceDraft());
        throw failure;
      } finally {
        await Promise.all([
          invalidateVm(queryClient, vm.id, hostPath),
          queryClient.invalidateQueries({ queryKey: keyOnServer(switchKeys.all, hostPath) }),
        ]);
      }
    },
  };
}
