/** Import-VM and Compare-VM in the OpenAPI document. */
import { compareVmBody, importVmBody } from '../http/importSchemas.js';
import { json, location, operation } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };
function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** Compare-VM's VMCompatibilityReport: the VM an import would create, and what does not fit. */
export const compatibilityReport: JsonSchema = object({
  mode: { type: 'string', enum: ['register', 'restore', 'copy'] },
  path: str,
  vm: object({
    id: str,
    name: str,
    checkpointCount: { type: 'integer' },
    state: { type: 'string', enum: ['Off', 'Saved'] },
  }),
  incompatibilities: {
    type: 'array',
    items: object({ message: str, messageId: { type: 'integer' }, source: str }),
  },
});

export const importPaths: Record<string, PathItemObject> = {
  '/vms/import/compare': {
    post: operation({
      operationId: 'compareVm',
      summary:
        'Compare-VM -Path: what keeps an export from being imported (missing files, a parent that does not match, an ID or name in use); changes nothing',
      tag: 'vms',
      body: { schema: compareVmBody, required: true },
      responses: {
        '200': { description: 'The compatibility report.', content: json(compatibilityReport) },
      },
    }),
  },
  '/vms/import': {
    post: operation({
      operationId: 'importVm',
      summary:
        'Import Virtual Machine (Import-VM): register in place, restore (same ID) or copy (new ID) an export; refused on any incompatibility',
      tag: 'vms',
      body: { schema: importVmBody, required: true },
      errors: { conflicts: true },
      responses: {
        '201': {
          description: 'The imported VM.',
          content: json(ref('VmDetail')),
          headers: location('URL of the imported VM.'),
        },
      },
    }),
  },
};
