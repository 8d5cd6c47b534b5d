import { useId, useState } from 'react';
import type { Checkpoint } from '@hvm/engine';
import { errorMessage } from '../../api/client';
import { useUiStore } from '../../stores/uiStore';
import { useRenameCheckpoint } from './useCheckpointMutations';
import { validateCheckpointName } from './buildCheckpointTree';

/** In-place Rename in the tree: Enter commits, Esc cancels; empty or over-long names are refused. */
export function RenameBox({ checkpoint }: { checkpoint: Checkpoint }) {
  const [value, setValue] = useState(checkpoint.name);
  const [problem, setProblem] = useState<string | null>(null);
  const endRename = useUiStore((s) => s.endRename);
  const rename = useRenameCheckpoint();
  const errorId = useId();

  const commit = () => {
    if (rename.isPending) return;
    if (value === checkpoint.name) {
      endRename();
      return;
    }
    const invalid = validateCheckpointName(value);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    setProblem(null);
    rename.mutate(
      { vmId: checkpoint.vmId, id: checkpoint.id, name: value },
      {
        onSuccess: () => endRename(),
        onError: (error) =>
          setProblem(`The checkpoint could not be renamed. ${errorMessage(error)}`),
      },
    );
  };

  return (
    <span className="rename-box" onClick={(e) => e.stopPropagation()}>
      <input
        type="text"
        aria-label="Checkpoint name"
        aria-invalid={problem !== null}
        aria-describedby={problem ? errorId : undefined}
        value={value}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setValue(e.target.value);
          setProblem(null);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            endRename();
          }
        }}
      />
      {problem && (
        <span id={errorId} role="alert" className="rename-error">
          {problem}
        </span>
      )}
    </span>
  );
}
