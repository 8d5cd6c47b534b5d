import { queryOptions } from '@tanstack/react-query';
import type { CreateVmInput, VmAction, VmId, VmSettingsUpdate } from '@hvm/engine';
import type { VmBody, VmDetailBody } from './bodies';
import { request } from './client';
import { keyOnServer } from './serverKeys';

export const vmKeys = {
  all: ['vms'] as const,
  detail: (vmId: VmId) => ['vms', vmId] as const,
};

export const vmsQuery = () =>
  queryOptions({
    queryKey: vmKeys.all,
    queryFn: ({ signal }) => request<VmBody[]>('/vms', { signal }),
  });

/**
 * A VM's details, on the server `hostPath` (a connection window's own: api/serverKeys.ts); on the
 * selected server when undefined.
 */
export const vmQuery = (vmId: VmId, hostPath?: string) =>
  queryOptions({
    queryKey: keyOnServer(vmKeys.detail(vmId), hostPath),
    queryFn: ({ signal }) =>
      request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}`, { signal, hostPath }),
  });

const vmPath = (vmId: VmId) => `/vms/${encodeURIComponent(vmId)}`;

export function createVm(input: CreateVmInput): Promise<VmDetailBody> {
  return request<VmDetailBody>('/vms', { method: 'POST', body: input });
}

/** Set-VM from the Settings dialog, on `hostPath` (the selected server when undefined). */
export function updateVm(
  vmId: VmId,
  update: VmSettingsUpdate,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(vmPath(vmId), { method: 'PATCH', body: update, hostPath });
}

export function deleteVm(vmId: VmId): Promise<void> {
  return request<void>(vmPath(vmId), { method: 'DELETE' });
}

/** `hostPath`: the server of the VM (api/client.ts); the selected one when undefined. */
export function runVmAction(vmId: VmId, action: VmAction, hostPath?: string): Promise<VmBody> {
  return request<VmBody>(`${vmPath(vmId)}/actions/${action}`, { method: 'POST', hostPath });
}

export function revertVm(
  vmId: VmId,
  takeCheckpointFirst: boolean,
  hostPath?: string,
): Promise<VmBody> {
  return request<VmBody>(`${vmPath(vmId)}/actions/revert`, {
    method: 'POST',
    body: { takeCheckpointFirst },
    hostPath,
  });
}
