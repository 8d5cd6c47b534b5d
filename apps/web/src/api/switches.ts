import { queryOptions } from '@tanstack/react-query';
import type {
  AddNetworkAdapterInput,
  HostInfo,
  HostSettingsUpdate,
  NewVirtualSwitchInput,
  RemovedVirtualSwitch,
  VirtualSwitch,
  VirtualSwitchUpdate,
  VmId,
} from '@hvm/engine';
import type { VmDetailBody } from './bodies';
import { request } from './client';
import { keyOnServer } from './serverKeys';

export const switchKeys = { all: ['virtual-switches'] as const };

/**
 * Virtual Switch Manager's list: the Default Switch first, then the others by name. Of `hostPath`
 * when given (a connection window's Settings dialog: api/serverKeys.ts), else of the selected one.
 */
export const switchesQuery = (hostPath?: string) =>
  queryOptions({
    queryKey: keyOnServer(switchKeys.all, hostPath),
    queryFn: ({ signal }) => request<VirtualSwitch[]>('/virtual-switches', { signal, hostPath }),
  });

const switchPath = (switchId: string) => `/virtual-switches/${encodeURIComponent(switchId)}`;

export function createSwitch(input: NewVirtualSwitchInput): Promise<VirtualSwitch> {
  return request<VirtualSwitch>('/virtual-switches', { method: 'POST', body: input });
}

export function updateSwitch(
  switchId: string,
  update: VirtualSwitchUpdate,
): Promise<VirtualSwitch> {
  return request<VirtualSwitch>(switchPath(switchId), { method: 'PATCH', body: update });
}

export function removeSwitch(switchId: string): Promise<RemovedVirtualSwitch> {
  return request<RemovedVirtualSwitch>(switchPath(switchId), { method: 'DELETE' });
}

// The Settings dialog's hardware changes below go to `hostPath`: the server of the VM whose settings
// are shown (a connection window's own); the selected server when undefined.

const adapterPath = (vmId: VmId, adapterId: string) =>
  `/vms/${encodeURIComponent(vmId)}/network-adapters/${encodeURIComponent(adapterId)}`;

/** Connect-VMNetworkAdapter (a switch id) or Disconnect-VMNetworkAdapter (null), one adapter. */
export function setAdapterSwitch(
  vmId: VmId,
  adapterId: string,
  switchId: string | null,
  hostPath?: string,
): Promise<VmDetailBody> {
  const path = adapterPath(vmId, adapterId);
  return switchId === null
    ? request<VmDetailBody>(`${path}/actions/disconnect`, { method: 'POST', body: {}, hostPath })
    : request<VmDetailBody>(`${path}/actions/connect`, {
        method: 'POST',
        body: { switchId },
        hostPath,
      });
}

/** Add-VMNetworkAdapter. */
export function addNetworkAdapter(
  vmId: VmId,
  input: AddNetworkAdapterInput,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}/network-adapters`, {
    method: 'POST',
    body: input,
    hostPath,
  });
}

/** Remove-VMNetworkAdapter. */
export function removeNetworkAdapter(
  vmId: VmId,
  adapterId: string,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(adapterPath(vmId, adapterId), { method: 'DELETE', hostPath });
}

/** Add-VMScsiController. */
export function addScsiController(vmId: VmId, hostPath?: string): Promise<VmDetailBody> {
  return request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}/scsi-controllers`, {
    method: 'POST',
    body: {},
    hostPath,
  });
}

/** Remove-VMScsiController. */
export function removeScsiController(
  vmId: VmId,
  controllerNumber: number,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(
    `/vms/${encodeURIComponent(vmId)}/scsi-controllers/${controllerNumber}`,
    { method: 'DELETE', hostPath },
  );
}

/** Remove-VMHardDiskDrive: the drive at "SCSI 1:0" is detached; its file stays. */
export function removeHardDrive(
  vmId: VmId,
  controllerLocation: string,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(
    `/vms/${encodeURIComponent(vmId)}/hard-drives/${encodeURIComponent(controllerLocation)}`,
    { method: 'DELETE', hostPath },
  );
}

/** Add-VMHardDiskDrive -ControllerType SCSI -ControllerNumber -Path. */
export function addScsiHardDrive(
  vmId: VmId,
  controllerNumber: number,
  path: string,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}/hard-drives`, {
    method: 'POST',
    body: { path, controllerType: 'SCSI', controllerNumber },
    hostPath,
  });
}

/** Hyper-V Settings' folders (Set-VMHost). */
export function updateHostSettings(update: HostSettingsUpdate): Promise<HostInfo> {
  return request<HostInfo>('/host', { method: 'PATCH', body: update });
}
