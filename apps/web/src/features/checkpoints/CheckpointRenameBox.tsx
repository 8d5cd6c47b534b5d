import type { Checkpoint } from '@hvm/engine';
import { InlineRenameBox } from '../../shared/InlineRenameBox';
import { useUiStore } from '../../stores/uiStore';
import { useRenameCheckpoint } from './useCheckpointMutations';
import { validateCheckpointName } from './buildCheckpointTree';

/** In-place Rename in the tree: Enter commits, Esc cancels; empty or over-long names are refused. */
export function CheckpointRenameBox({ checkpoint }: { checkpoint: Checkpoint }) {
  const endRename = useUiStore((s) => s.endRename);
  const rename = useRenameCheckpoint();
  return (
    <InlineRenameBox
      name={checkpoint.name}
      label="Checkpoint name"
      validate={validateCheckpointName}
      pending={rename.isPending}
      rename={(name, callbacks) =>
        rename.mutate({ vmId: checkpoint.vmId, id: checkpoint.id, name }, callbacks)
      }
      failure="The checkpoint could not be renamed."
      onDone={endRename}
    />
  );
}
