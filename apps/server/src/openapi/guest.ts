/** The simulated-guest routes of the OpenAPI document (gallery, console, backup) and their schemas. */
import { Consistency, GuestBootKind } from '@hvm/engine';
import { backupReadQuery } from '../routes/guests.js';
import { serialConsoleInput } from '../routes/serialConsole.js';
import { checkpointIdParam, errorRef, json, operation, vmIdParam } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const bool: JsonSchema = { type: 'boolean' };
const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });
function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

export const guestSchemas: Record<string, JsonSchema> = {
  Consistency: { type: 'string', enum: Object.values(Consistency) },
  GuestImage: object({
    name: str,
    caption: str,
    os: str,
    application: str,
    integrationServices: bool,
    description: str,
  }),
  GuestConsole: object({
    vmId: str,
    vmName: str,
    state: ref('VmState'),
    guestImage: nullable(str),
    os: nullable(str),
    application: nullable(str),
    running: bool,
    uptimeMs: int,
    committedTransactions: int,
    inFlightTransactions: { type: 'array', items: int },
    dirtyPages: int,
    boot: nullable(
      object({ kind: { type: 'string', enum: Object.values(GuestBootKind) }, message: str }),
    ),
    replication: nullable(
      object({
        status: { type: 'string', enum: ['Healthy', 'UsnRollbackDetected'] },
        message: str,
      }),
    ),
    integrationServices: {
      type: 'array',
      items: object({ name: str, enabled: bool, inGuest: bool }),
    },
    lines: { type: 'array', items: str },
    serialConsole: bool,
    observedAt: { type: 'string', format: 'date-time' },
  }),
  ReferencePoint: object({
    id: str,
    vmId: str,
    checkpointId: str,
    createdAt: { type: 'string', format: 'date-time' },
    convertedAt: { type: 'string', format: 'date-time' },
    consistency: nullable(ref('Consistency')),
    virtualSizes: { type: 'array', items: int },
  }),
};

const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });

export const guestPaths: Record<string, PathItemObject> = {
  '/guest-images': {
    get: operation({
      operationId: 'listGuestImages',
      summary: 'The Quick Create gallery of simulated guests (`guestImage` of New VM)',
      tag: 'guests',
      responses: { '200': ok('The images.', { type: 'array', items: ref('GuestImage') }) },
    }),
  },
  '/vms/{vmId}/console': {
    get: operation({
      operationId: 'getGuestConsole',
      summary: 'Virtual Machine Connection: uptime, transactions and what the guest did at boot',
      tag: 'guests',
      parameters: [vmIdParam],
      responses: { '200': ok('The console.', ref('GuestConsole')) },
    }),
  },
  '/vms/{vmId}/serial-console': {
    get: operation({
      operationId: 'connectSerialConsole',
      summary:
        "Virtual Machine Connection of a QEMU guest: its serial console's output, live (Server-Sent Events)",
      tag: 'guests',
      parameters: [vmIdParam],
      responses: {
        '200': {
          description:
            'A `text/event-stream`: `event: backlog` (the recent output), then `event: output` as the guest prints, each with `data:` the bytes in base64; `event: ended` when the VM is deleted; a `: heartbeat` comment every 15 s. A viewer that does not keep up is dropped and connects again from the backlog.',
          content: { 'text/event-stream': { schema: str } },
        },
        '409': errorRef('Conflict'),
        '429': errorRef('TooManyRequests'),
      },
    }),
  },
  '/vms/{vmId}/serial-console/input': {
    post: operation({
      operationId: 'typeIntoSerialConsole',
      summary:
        'Virtual Machine Connection of a QEMU guest: type into its serial console (Administrators)',
      tag: 'guests',
      parameters: [vmIdParam],
      body: { schema: serialConsoleInput, required: true },
      errors: { reads: true, conflicts: true },
      responses: { '204': { description: 'Typed (UTF-8) into the running guest.' } },
    }),
  },
  '/vms/{vmId}/backup/checkpoints': {
    post: operation({
      operationId: 'createRecoveryCheckpoint',
      summary: 'Backup: create a Recovery checkpoint (application- or crash-consistent)',
      tag: 'backup',
      parameters: [vmIdParam],
      errors: { reads: true, conflicts: true },
      responses: { '201': ok('The recovery checkpoint.', ref('Checkpoint')) },
    }),
  },
  '/vms/{vmId}/backup/checkpoints/{checkpointId}/disk': {
    get: operation({
      operationId: 'readCheckpointDisk',
      summary: "Backup: read the frozen content of a checkpoint's system disk (at most 4 MiB)",
      tag: 'backup',
      parameters: [
        vmIdParam,
        checkpointIdParam,
        ...(['offset', 'length'] as const).map((name) => ({
          name,
          in: 'query' as const,
          required: true,
          description: name === 'offset' ? 'Byte offset.' : 'Bytes to read (0 to 4 MiB).',
          schema: { type: 'integer', minimum: 0 },
        })),
      ],
      responses: {
        '200': {
          description: `The bytes (\`application/octet-stream\`); query schema: ${JSON.stringify(Object.keys(backupReadQuery.shape))}.`,
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        '503': errorRef('ServerBusy'),
      },
    }),
  },
  '/vms/{vmId}/backup/checkpoints/{checkpointId}/actions/convert-to-reference-point': {
    post: operation({
      operationId: 'convertToReferencePoint',
      summary:
        'Backup: delete a Recovery checkpoint (merging its disks) and keep a reference point',
      tag: 'backup',
      parameters: [vmIdParam, checkpointIdParam],
      errors: { reads: true, conflicts: true },
      responses: { '200': ok('The reference point.', ref('ReferencePoint')) },
    }),
  },
  '/vms/{vmId}/backup/reference-points': {
    get: operation({
      operationId: 'listReferencePoints',
      summary: 'Backup: reference points of the VM (not checkpoints)',
      tag: 'backup',
      parameters: [vmIdParam],
      responses: {
        '200': ok('The reference points.', { type: 'array', items: ref('ReferencePoint') }),
      },
    }),
  },
};
