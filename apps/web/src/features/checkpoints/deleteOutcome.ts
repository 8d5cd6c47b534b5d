import type { CheckpointDeleteOutcome } from '@hvm/contracts';
import { formatBytes } from '../../shared/format';

/**
 * The delete dialog's explanation of what Delete Checkpoint (or Delete Checkpoint Subtree) will do
 * on disk, in words, from the server's answer (`deleteOutcome` of the checkpoint: the engine's
 * rule, behaviour spec §4.9): whether the differencing disk is merged into its child or Now,
 * removed, or kept, and how much space it frees. The wording is the application's own.
 */
export function describeDeleteOutcome(outcome: CheckpointDeleteOutcome): string {
  const count = outcome.deletedCheckpointIds.length;
  if (outcome.subtree) {
    const checkpoints = count === 1 ? '1 checkpoint' : `${count} checkpoints`;
    if (outcome.merges.length === 0) {
      return `${checkpoints} will be deleted. Their differencing disks (${formatBytes(outcome.totalBytes)}) will be removed, freeing ${formatBytes(outcome.bytesFreed)}.`;
    }
    return `${checkpoints} will be deleted (${formatBytes(outcome.totalBytes)}). The differencing disks the current state (Now) depends on (${formatBytes(outcome.bytesMerged)}) will be merged into Now; the others are removed, freeing ${formatBytes(outcome.bytesFreed)}.`;
  }

  const size = formatBytes(outcome.totalBytes);
  const merge = outcome.merges[0];
  const kept = outcome.kept[0];
  if (outcome.disk === 'merged' && merge !== undefined) {
    const into =
      merge.into.kind === 'now' ? 'the current state (Now)' : `the checkpoint "${merge.into.name}"`;
    return `The checkpoint's differencing disk (${size}) will be merged into ${into}. The merge runs in the background; up to ${size} is freed when it finishes.`;
  }
  if (outcome.disk === 'kept' && kept !== undefined) {
    return `The checkpoint's differencing disk (${size}) is kept, because its ${kept.dependents} children${kept.nowDepends ? ' (including Now)' : ''} depend on it; only the checkpoint's configuration and saved state are removed.`;
  }
  return `The checkpoint's differencing disk (${size}) will be removed, freeing ${formatBytes(outcome.bytesFreed)}.`;
}
