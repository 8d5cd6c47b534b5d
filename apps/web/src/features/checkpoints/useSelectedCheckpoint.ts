import { useQuery } from '@tanstack/react-query';
import type { Checkpoint, VmId } from '@hvm/engine';
import { checkpointsQuery } from '../../api/checkpoints';
import { useUiStore } from '../../stores/uiStore';

/**
 * The checkpoint selected in VM `vmId`'s tree, or undefined. Only the checkpoint is read from the
 * tree, so the panes that show it (Details, Actions, the Action menu) redraw when it changes, not
 * when a VM's tree arrives or changes elsewhere: selecting a VM then draws its tree alone.
 */
export function useSelectedCheckpoint(vmId: VmId): Checkpoint | undefined {
  const selectedCheckpointId = useUiStore((s) => s.selectedCheckpointId);
  const { data } = useQuery({
    ...checkpointsQuery(vmId),
    select: (tree) =>
      selectedCheckpointId === null
        ? undefined
        : tree.checkpoints.find((c) => c.id === selectedCheckpointId),
  });
  return data;
}
