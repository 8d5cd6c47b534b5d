/** URL builders for `Location` headers. */
export const apiPrefix = '/api/v1';

export const vmUrl = (vmId: string): string => `${apiPrefix}/vms/${encodeURIComponent(vmId)}`;
export const checkpointUrl = (vmId: string, checkpointId: string): string =>
  `${vmUrl(vmId)}/checkpoints/${encodeURIComponent(checkpointId)}`;
export const taskUrl = (taskId: string): string =>
  `${apiPrefix}/tasks/${encodeURIComponent(taskId)}`;
