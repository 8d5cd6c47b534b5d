import { queryOptions } from '@tanstack/react-query';
import type {
  CheckpointId,
  DiskFileEntry,
  DiskInspection,
  HostCheckReport,
  Task,
  VmId,
} from '@hvm/engine';
import { request } from './client';

export const diskKeys = {
  all: ['disks'] as const,
  inspect: (path: string) => ['disks', 'inspect', path] as const,
  check: ['host', 'check'] as const,
};

export const disksQuery = () =>
  queryOptions({
    queryKey: diskKeys.all,
    queryFn: ({ signal }) => request<DiskFileEntry[]>('/disks', { signal }),
  });

export const diskInspectionQuery = (path: string) =>
  queryOptions({
    queryKey: diskKeys.inspect(path),
    queryFn: ({ signal }) =>
      request<DiskInspection>(`/disks/inspect?path=${encodeURIComponent(path)}`, { signal }),
    retry: false,
  });

export const hostCheckQuery = () =>
  queryOptions({
    queryKey: diskKeys.check,
    queryFn: ({ signal }) => request<HostCheckReport>('/host/check', { signal }),
    retry: false,
  });

/** Export of a checkpoint (or, without one, of the VM); answers the "Exporting virtual machine" task. */
export async function exportVm(
  vmId: VmId,
  checkpointId: CheckpointId | null,
  path: string,
): Promise<Task> {
  const vm = `/vms/${encodeURIComponent(vmId)}`;
  const url =
    checkpointId === null
      ? `${vm}/actions/export`
      : `${vm}/checkpoints/${encodeURIComponent(checkpointId)}/actions/export`;
  const { task } = await request<{ task: Task }>(url, { method: 'POST', body: { path } });
  return task;
}
