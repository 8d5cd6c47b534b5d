/** The event log (Hyper-V-VMMS Admin) in the OpenAPI document. */
import { EventLevel } from '@hvm/engine';
import { json, operation } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, ParameterObject, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });
function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

export const eventLogSchemas: Record<string, JsonSchema> = {
  EventLevel: { type: 'string', enum: Object.values(EventLevel) },
  EventLogEntry: object({
    id: { ...int, minimum: 1, description: 'The record number, growing by one.' },
    time: { type: 'string', format: 'date-time' },
    level: ref('EventLevel'),
    eventId: { ...int, description: 'e.g. 18300: a checkpoint was created.' },
    source: { const: 'Hyper-V-VMMS' },
    user: {
      ...str,
      description: 'e.g. HV-HOST\\Administrator; NT AUTHORITY\\SYSTEM for the host.',
    },
    vmName: nullable(str),
    vmId: nullable(str),
    operation: { ...str, description: 'e.g. Create checkpoint, Start, Merge.' },
    outcome: { type: 'string', enum: ['Succeeded', 'Failed'] },
    message: {
      ...str,
      description: "In Hyper-V's words, e.g. 'SQL-PROD-01' successfully created checkpoint 'X'.",
    },
  }),
  EventLogPage: object({
    entries: { type: 'array', items: ref('EventLogEntry') },
    total: { ...int, description: 'Entries matching the query in all.' },
    offset: int,
    limit: int,
  }),
};

const query = (name: string, description: string, schema: JsonSchema): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export const eventLogPaths: Record<string, PathItemObject> = {
  '/event-log': {
    get: operation({
      operationId: 'queryEventLog',
      summary: 'The event log (Hyper-V-VMMS Admin): every operation, newest first',
      tag: 'events',
      parameters: [
        query('vmId', 'Only the entries of this VM.', str),
        query(
          'level',
          'Only these levels: Information, Warning, Error (comma-separated or repeated).',
          str,
        ),
        query('from', 'Entries at or after this time (ISO 8601).', { ...str, format: 'date-time' }),
        query('to', 'Entries at or before this time (ISO 8601).', { ...str, format: 'date-time' }),
        query('text', 'Case-insensitive text in the message, VM name, user or operation.', {
          ...str,
          maxLength: 200,
        }),
        query('offset', 'Entries to skip, newest first (default 0).', { ...int, minimum: 0 }),
        query('limit', 'At most this many entries (1-1000, default 100).', {
          ...int,
          minimum: 1,
          maximum: 1000,
        }),
      ],
      responses: {
        '200': { description: 'One page of entries.', content: json(ref('EventLogPage')) },
      },
    }),
  },
};
