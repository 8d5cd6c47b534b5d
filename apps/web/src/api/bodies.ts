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
/** GET .../checkpoints/:checkpointId: one checkpoint with what deleting it will do. */
export type CheckpointBody = Checkpoint & CheckpointRules<CheckpointId>;
/**
 * GET .../checkpoints?deleteOutcomes=false: the tree as the console shows it. Each checkpoint's
 * delete outcomes grow with the square of the tree's depth; the Delete dialog fetches its own.
 */
export type CheckpointTreeBody = CheckpointTree;
