/**
 * What an operation needs of the user; the server's roles grant these.
 * - `read`: see VMs, checkpoints, tasks, events (a Checkpoint Operator sees only its VMs).
 * - `readHost`: host-wide reads beyond VMs: disk files, Inspect Disk, Check Host, backup disk reads.
 * - `manageCheckpoints`: Checkpoint, Apply, Revert, Rename, Delete Checkpoint (Subtree).
 * - `manageHost`: every other change: VMs, power, settings, export, backup.
 */
export const RequiredPermission = {
  Read: 'read',
  ReadHost: 'readHost',
  ManageCheckpoints: 'manageCheckpoints',
  ManageHost: 'manageHost',
} as const;
export type RequiredPermission = (typeof RequiredPermission)[keyof typeof RequiredPermission];
