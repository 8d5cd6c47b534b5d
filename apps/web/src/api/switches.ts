import { queryOptions } from '@tanstack/react-query';
import type {
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

export const switchKeys = { all: ['virtual-switches'] as const };

/** Virtual Switch Manager's list: the Default Switch first, then the others by name. */
export const switchesQuery = () =>
  queryOptions({
    queryKey: switchKeys.all,
    queryFn: ({ signal }) => request<VirtualSwitch[]>('/virtual-switches', { signal }),
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

const adapterPath = (vmId: VmId, action: 'connect' | 'disconnect') =>
  `/vms/${encodeURIComponent(vmId)}/network-adapter/actions/${action}`;

/** Connect-VMNetworkAdapter (a switch id) or Disconnect-VMNetworkAdapter (null). */
export function setAdapterSwitch(vmId: VmId, switchId: string | null): Promise<VmDetailBody> {
  return switchId === null
    ? request<VmDetailBody>(adapterPath(vmId, 'disconnect'), { method: 'POST', body: {} })
    : request<VmDetailBody>(adapterPath(vmId, 'connect'), { method: 'POST', body: { switchId } });
}

/** Hyper-V Settings' folders (Set-VMHost). */
export function updateHostSettings(update: HostSettingsUpdate): Promise<HostInfo> {
  return request<HostInfo>('/host', { method: 'PATCH', body: update });
}
