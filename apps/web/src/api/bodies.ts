/**
 * The engine's data as the server sends it: with the answers of the rules the web app shows
 * (which commands are enabled, what a delete will do). The web app reads them and does not work
 * them out again; see packages/contracts.
 */
import type { CheckpointRules, VmRules } from '@hvm/contracts';
import type { Checkpoint, CheckpointId, CheckpointTree, VmDetail, VmSummary } from '@hvm/engine';

export type { VmRules } from '@hvm/contracts';

/** A VM of GET /vms, an action's answer, or a vm-changed event. */
export type VmBody = VmSummary & VmRules;
/** GET /vms/:vmId. */
export type VmDetailBody = VmDetail & VmRules;
/** A checkpoint of GET .../checkpoints. */
export type CheckpointBody = Checkpoint & CheckpointRules<CheckpointId>;
export type CheckpointTreeBody = Omit<CheckpointTree, 'checkpoints'> & {
  checkpoints: CheckpointBody[];
};
