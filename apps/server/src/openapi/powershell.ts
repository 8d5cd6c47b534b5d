/** The PowerShell console routes of the OpenAPI document and the schemas of their answers. */
import { powerShellBody } from '../http/schemas.js';
import { json, operation } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, ParameterObject, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };

export const powerShellSchemas: Record<string, JsonSchema> = {
  PowerShellErrorRecord: {
    type: 'object',
    description: 'A PowerShell error record, as `$Error[0]` would show it.',
    properties: {
      message: str,
      categoryInfo: {
        type: 'string',
        description: 'e.g. `ObjectNotFound: (X:String) [Get-VM], VirtualizationException`',
      },
      fullyQualifiedErrorId: str,
      text: { type: 'string', description: 'The error as the console prints it.' },
    },
    required: ['message', 'categoryInfo', 'fullyQualifiedErrorId', 'text'],
  },
  PowerShellResult: {
    type: 'object',
    properties: {
      output: {
        type: 'string',
        description:
          'The console text: formatted output, WARNING: and What if: lines and error records, in order.',
      },
      objects: {
        type: 'array',
        description: 'The output objects as JSON (dates as ISO strings, time spans as hh:mm:ss).',
        items: {},
      },
      errors: { type: 'array', items: ref('PowerShellErrorRecord') },
      hadTerminatingError: {
        type: 'boolean',
        description:
          'A parse error, a statement-terminating error (unknown command or parameter, parameter binding) or -ErrorAction Stop.',
      },
    },
    required: ['output', 'objects', 'errors', 'hadTerminatingError'],
  },
  PowerShellCompletions: {
    type: 'object',
    properties: {
      completions: {
        type: 'array',
        description: 'The words that may replace the word under the cursor.',
        items: str,
      },
    },
    required: ['completions'],
  },
};

const completionParams: ParameterObject[] = [
  {
    name: 'line',
    in: 'query',
    required: true,
    description: 'The command line being typed.',
    schema: { type: 'string', maxLength: 100_000 },
  },
  {
    name: 'cursor',
    in: 'query',
    required: false,
    description: 'The cursor position in `line` (default: its end).',
    schema: { type: 'integer', minimum: 0 },
  },
];

export const powerShellPaths: Record<string, PathItemObject> = {
  '/powershell': {
    post: operation({
      operationId: 'runPowerShell',
      summary:
        'Run a Hyper-V PowerShell script on the host (one run at a time per host); script errors are part of the 200 answer',
      tag: 'powershell',
      body: { schema: powerShellBody, required: true },
      responses: {
        '200': { description: 'What the console shows.', content: json(ref('PowerShellResult')) },
      },
    }),
  },
  '/powershell/completions': {
    get: operation({
      operationId: 'completePowerShell',
      summary: 'Tab completion of cmdlet and parameter names',
      tag: 'powershell',
      parameters: completionParams,
      responses: {
        '200': { description: 'The candidates.', content: json(ref('PowerShellCompletions')) },
      },
    }),
  },
};
