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
import { keyOnServer } from './serverKeys';

export const diskKeys = {
  all: ['disks'] as const,
  inspect: (path: string) => ['disks', 'inspect', path] as const,
  check: ['host', 'check'] as const,
};

/** The disk files; of `hostPath` when given (api/serverKeys.ts), else of the selected server. */
export const disksQuery = (hostPath?: string) =>
  queryOptions({
    queryKey: keyOnServer(diskKeys.all, hostPath),
    queryFn: ({ signal }) => request<DiskFileEntry[]>('/disks', { signal, hostPath }),
  });

export const diskInspectionQuery = (path: string, hostPath?: string) =>
  queryOptions({
    queryKey: keyOnServer(diskKeys.inspect(path), hostPath),
    queryFn: ({ signal }) =>
      request<DiskInspection>(`/disks/inspect?path=${encodeURIComponent(path)}`, {
        signal,
        hostPath,
      }),
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
