import { queryOptions } from '@tanstack/react-query';
import type {
  CreateVmInput,
  VmAction,
  VmDetail,
  VmId,
  VmSettingsUpdate,
  VmSummary,
} from '@hvm/engine';
import { request } from './client';

export const vmKeys = {
  all: ['vms'] as const,
  detail: (vmId: VmId) => ['vms', vmId] as const,
};

export const vmsQuery = () =>
  queryOptions({
    queryKey: vmKeys.all,
    queryFn: ({ signal }) => request<VmSummary[]>('/vms', { signal }),
  });

export const vmQuery = (vmId: VmId) =>
  queryOptions({
    queryKey: vmKeys.detail(vmId),
    queryFn: ({ signal }) => request<VmDetail>(`/vms/${encodeURIComponent(vmId)}`, { signal }),
  });

const vmPath = (vmId: VmId) => `/vms/${encodeURIComponent(vmId)}`;

export function createVm(input: CreateVmInput): Promise<VmDetail> {
  return request<VmDetail>('/vms', { method: 'POST', body: input });
}

export function updateVm(vmId: VmId, update: VmSettingsUpdate): Promise<VmDetail> {
  return request<VmDetail>(vmPath(vmId), { method: 'PATCH', body: update });
}

export function deleteVm(vmId: VmId): Promise<void> {
  return request<void>(vmPath(vmId), { method: 'DELETE' });
}

export function runVmAction(vmId: VmId, action: VmAction): Promise<VmSummary> {
  return request<VmSummary>(`${vmPath(vmId)}/actions/${action}`, { method: 'POST' });
}

export function revertVm(vmId: VmId, takeCheckpointFirst: boolean): Promise<VmSummary> {
  return request<VmSummary>(`${vmPath(vmId)}/actions/revert`, {
    method: 'POST',
    body: { takeCheckpointFirst },
  });
}
