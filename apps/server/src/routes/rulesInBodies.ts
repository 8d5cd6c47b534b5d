/**
 * The answers of the rules the web app shows, added to the bodies the server sends: on every VM
 * the commands Hyper-V Manager enables now, on every checkpoint what Delete Checkpoint and Delete
 * Checkpoint Subtree will do. The rules are the engine's (from @hvm/contracts), so the menus grey
 * out exactly what the engine would refuse. Additive fields: nothing of the engine's body changes.
 */
import {
  allowedCheckpointActions,
  allowedVmActions,
  deleteCheckpointOutcome,
  deleteOutcomesOf,
  type Checkpoint,
  type CheckpointId,
  type CheckpointTree,
  type HostEvent,
  type VmSummary,
} from '@hvm/engine';
import type { CheckpointRules as SharedCheckpointRules, VmRules } from '@hvm/contracts';

type CheckpointRules = SharedCheckpointRules<CheckpointId>;

export function withVmRules<T extends VmSummary>(vm: T): T & VmRules {
  return {
    ...vm,
    allowedActions: allowedVmActions(vm),
    allowedCheckpointActions: allowedCheckpointActions(vm),
  };
}

/** The tree with each checkpoint's delete outcomes (a VM has at most a few dozen checkpoints). */
export function withDeleteOutcomes(
  tree: CheckpointTree,
): CheckpointTree & { checkpoints: (Checkpoint & CheckpointRules)[] } {
  const outcomes = deleteOutcomesOf(tree);
  return {
    ...tree,
    checkpoints: tree.checkpoints.flatMap((checkpoint) => {
      const deleteOutcome = outcomes.get(checkpoint.id);
      return deleteOutcome === undefined ? [] : [{ ...checkpoint, deleteOutcome }];
    }),
  };
}

/** One checkpoint with its delete outcomes, read from its VM's tree (its own alone are worked out). */
export function checkpointWithDeleteOutcome(
  tree: CheckpointTree,
  checkpoint: Checkpoint,
): Checkpoint & Partial<CheckpointRules> {
  const one = deleteCheckpointOutcome(tree, checkpoint.id, false);
  const all = deleteCheckpointOutcome(tree, checkpoint.id, true);
  return one === null || all === null
    ? checkpoint
    : { ...checkpoint, deleteOutcome: { delete: one, deleteSubtree: all } };
}

/** A host event as the live stream sends it: a changed VM carries its rules too. */
export function eventWithRules(event: HostEvent): HostEvent {
  return event.type === 'vm-changed' ? { ...event, vm: withVmRules(event.vm) } : event;
}
