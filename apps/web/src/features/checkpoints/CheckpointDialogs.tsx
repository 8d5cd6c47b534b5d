import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Checkpoint, CheckpointId, VmId } from '@hvm/engine';
import { checkpointDeleteOutcomeQuery, checkpointsQuery } from '../../api/checkpoints';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { MessageDialog } from '../../shared/MessageDialog';
import { useUiStore } from '../../stores/uiStore';
import { describeDeleteOutcome } from './deleteOutcome';
import { setProductionMessageHidden } from './productionMessage';
import { useApplyCheckpoint, useDeleteCheckpoint } from './useCheckpointMutations';
import './checkpoints.css';

interface Target {
  vmId: VmId;
  checkpointId: CheckpointId;
}

export function ApplyCheckpointDialog(target: Target) {
  const close = useUiStore((s) => s.closeDialog);
  const apply = useApplyCheckpoint();
  const run = (takeCheckpointFirst: boolean) =>
    apply
      .mutateAsync({ vmId: target.vmId, id: target.checkpointId, takeCheckpointFirst })
      .then(close);
  return (
    <ConfirmDialog
      title="Apply Checkpoint"
      message="Are you sure you want to apply the selected checkpoint? Your current virtual machine state will be lost."
      choices={[
        { caption: 'Take Checkpoint and Apply', onChoose: () => run(true), isDefault: true },
        { caption: 'Apply', onChoose: () => run(false) },
      ]}
      onCancel={close}
      pending={apply.isPending}
      error={apply.error}
      errorSummary="The checkpoint could not be applied."
    />
  );
}

export function DeleteCheckpointDialog(target: Target & { subtree: boolean }) {
  const close = useUiStore((s) => s.closeDialog);
  const selectCheckpoint = useUiStore((s) => s.selectCheckpoint);
  const { data: tree } = useQuery(checkpointsQuery(target.vmId));
  // What the delete will do, as the server answers it for this checkpoint (the tree leaves it out).
  const { data: checkpoint } = useQuery(
    checkpointDeleteOutcomeQuery(target.vmId, target.checkpointId),
  );
  const remove = useDeleteCheckpoint();
  const name =
    checkpoint?.name ??
    tree?.checkpoints.find((c) => c.id === target.checkpointId)?.name ??
    'the selected checkpoint';
  const answer = checkpoint?.deleteOutcome[target.subtree ? 'deleteSubtree' : 'delete'];
  const outcome = answer ? describeDeleteOutcome(answer) : null;
  return (
    <ConfirmDialog
      title="Delete Checkpoint"
      message={
        target.subtree ? (
          <>
            <p className="message-line">
              Are you sure you want to delete the checkpoint{' '}
              <q>
                <bdi>{name}</bdi>
              </q>{' '}
              and all of its child checkpoints?
            </p>
            {outcome && <p className="message-line delete-outcome">{outcome}</p>}
          </>
        ) : (
          <>
            <p className="message-line">
              Are you sure you want to delete the checkpoint{' '}
              <q>
                <bdi>{name}</bdi>
              </q>
              ?
            </p>
            {outcome && <p className="message-line delete-outcome">{outcome}</p>}
          </>
        )
      }
      choices={[
        {
          caption: 'Delete',
          isDefault: true,
          onChoose: () =>
            remove
              .mutateAsync({ vmId: target.vmId, id: target.checkpointId, subtree: target.subtree })
              .then(() => {
                selectCheckpoint(null);
                close();
              }),
        },
      ]}
      onCancel={close}
      pending={remove.isPending}
      error={remove.error}
      errorSummary="The checkpoint could not be deleted."
    />
  );
}

export function ProductionCreatedDialog({ checkpoint }: { checkpoint: Checkpoint }) {
  const close = useUiStore((s) => s.closeDialog);
  const [dontShow, setDontShow] = useState(false);
  return (
    <MessageDialog
      title="Production checkpoint created"
      onClose={() => {
        setProductionMessageHidden(dontShow);
        close();
      }}
    >
      <p>
        Production checkpoint{' '}
        <q>
          <bdi>{checkpoint.name}</bdi>
        </q>{' '}
        was created. Production checkpoints use backup technology inside the guest to create the
        checkpoint, instead of using saved state technology. When you apply a production checkpoint
        the virtual machine will be off.
      </p>
      {checkpoint.note && <p className="note">{checkpoint.note}</p>}
      <label className="check">
        <input type="checkbox" checked={dontShow} onChange={(e) => setDontShow(e.target.checked)} />
        Don&apos;t show this message again
      </label>
    </MessageDialog>
  );
}
