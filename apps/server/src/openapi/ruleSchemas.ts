/**
 * JSON Schemas of the rule answers the server adds to VM and checkpoint bodies (see
 * routes/rulesInBodies.ts; the rules are @hvm/contracts').
 */
import { CHECKPOINT_COMMANDS, VM_COMMANDS } from '@hvm/contracts';
import type { JsonSchema } from './types.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const uuid: JsonSchema = { type: 'string', format: 'uuid' };

function flags(ids: readonly string[], description: string): JsonSchema {
  return {
    type: 'object',
    description,
    properties: Object.fromEntries(ids.map((id) => [id, { type: 'boolean' }])),
    required: [...ids],
  };
}

function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** The properties every VM body (VmSummary, VmDetail, the vm-changed event) gains. */
export const vmRuleProperties: Record<string, JsonSchema> = {
  allowedActions: ref('VmActionAvailability'),
  allowedCheckpointActions: ref('CheckpointActionAvailability'),
};

const files = {
  checkpointId: uuid,
  disks: { type: 'array', items: str, description: 'Relative to the host data folder.' },
  bytes: int,
};

const outcome = object({
  subtree: { type: 'boolean' },
  deletedCheckpointIds: { type: 'array', items: uuid },
  disk: { type: 'string', enum: ['removed', 'merged', 'kept'] },
  merges: {
    type: 'array',
    items: object({
      ...files,
      into: {
        oneOf: [
          object({ kind: { const: 'now' } }),
          object({ kind: { const: 'checkpoint' }, checkpointId: uuid, name: str }),
        ],
      },
    }),
  },
  kept: {
    type: 'array',
    items: object({ ...files, dependents: int, nowDepends: { type: 'boolean' } }),
  },
  removed: { type: 'array', items: object(files) },
  totalBytes: int,
  bytesMerged: int,
  bytesFreed: int,
});

export const ruleSchemas: Record<string, JsonSchema> = {
  VmActionAvailability: flags(
    VM_COMMANDS,
    "Which of Hyper-V Manager's VM commands are enabled in the VM's present state (the engine's transition table).",
  ),
  CheckpointActionAvailability: flags(
    CHECKPOINT_COMMANDS,
    'Which checkpoint commands are enabled for every checkpoint of the VM now.',
  ),
  CheckpointDeleteOutcome: {
    ...outcome,
    description:
      'What the delete will do on disk: the checkpoints that go, whose differencing disks merge into which checkpoint or Now, which are kept (several children depend on them) or removed, and the bytes freed.',
  },
  CheckpointDeleteOutcomes: object({
    delete: ref('CheckpointDeleteOutcome'),
    deleteSubtree: ref('CheckpointDeleteOutcome'),
  }),
};
