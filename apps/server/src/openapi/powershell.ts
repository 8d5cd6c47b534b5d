/** The PowerShell console routes of the OpenAPI document and the schemas of their answers. */
import { powerShellBody } from '../http/schemas.js';
import { powerShellAnswerBody } from '../powershell/schemas.js';
import { json, operation, pathParam } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, ParameterObject, PathItemObject, ResponseObject } from './types.js';

const str: JsonSchema = { type: 'string' };

export const powerShellSchemas: Record<string, JsonSchema> = {
  PowerShellErrorRecord: {
    type: 'object',
    description: 'A PowerShell error record, as `$Error[0]` would show it.',
    properties: {
      message: str,
      categoryInfo: {
        type: 'string',
        description: 'e.g. `InvalidArgument: (X:String) [Get-VM], VirtualizationException`',
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
        description:
          'The output objects as JSON (dates as ISO strings, time spans as hh:mm:ss); empty when the request said `objects: false`.',
        items: {},
      },
      objectTypes: {
        type: 'array',
        description:
          'The type names of `objects`, in runs: `[typeName, count]` pairs in the order of the objects (typeName null for a value that is not an object), e.g. `[["Microsoft.HyperV.PowerShell.VMSnapshot", 100000]]`. Absent when there are no objects or the request said `objects: false`.',
        items: {
          type: 'array',
          prefixItems: [{ type: ['string', 'null'] }, { type: 'integer', minimum: 1 }],
          minItems: 2,
          maxItems: 2,
        },
      },
      errors: { type: 'array', items: ref('PowerShellErrorRecord') },
      messages: {
        type: 'array',
        description:
          'The warning, verbose and debug lines of `output` (`WARNING: ...`), in order, so that a console can colour them.',
        items: {
          type: 'object',
          properties: {
            stream: { type: 'string', enum: ['warning', 'verbose', 'debug'] },
            text: str,
          },
          required: ['stream', 'text'],
        },
      },
      hadTerminatingError: {
        type: 'boolean',
        description:
          'A parse error, a statement-terminating error (unknown command or parameter, parameter binding) or -ErrorAction Stop.',
      },
      exitCode: {
        type: 'integer',
        description:
          "The exit code powershell.exe -Command would give: N after `exit N`, otherwise 1 when the last statement's $? is False, else 0.",
      },
      location: {
        type: 'string',
        description:
          "The script's location when it ended (`Files:\\` and below: the user's script files), for a `PS <location>>` prompt.",
      },
    },
    required: ['output', 'objects', 'errors', 'hadTerminatingError'],
  },
  PowerShellPrompt: {
    description:
      'A prompt of the host user interface: a choice (ShouldProcess: `[Y] Yes [A] Yes to All [N] No [L] No to All [S] Suspend [?] Help`; `&` marks the hot key of a label) or values for missing mandatory parameters, one line per field.',
    oneOf: [
      {
        type: 'object',
        properties: {
          kind: { const: 'choice' },
          caption: str,
          message: str,
          choices: {
            type: 'array',
            items: {
              type: 'object',
              properties: { label: str, help: str },
              required: ['label', 'help'],
            },
          },
          defaultChoice: { type: 'integer' },
        },
        required: ['kind', 'caption', 'message', 'choices', 'defaultChoice'],
      },
      {
        type: 'object',
        properties: {
          kind: { const: 'text' },
          caption: str,
          message: str,
          fields: { type: 'array', items: str },
        },
        required: ['kind', 'caption', 'message', 'fields'],
      },
    ],
  },
  PowerShellRunAnswer: {
    description:
      'The next prompt of an interactive run, or the end of a run. In an interactive run, `output` is the console text since the previous answer of the same run.',
    oneOf: [
      {
        type: 'object',
        properties: {
          status: { const: 'prompt' },
          runId: str,
          prompt: ref('PowerShellPrompt'),
          output: str,
        },
        required: ['status', 'runId', 'prompt', 'output'],
      },
      {
        allOf: [
          ref('PowerShellResult'),
          {
            type: 'object',
            properties: {
              status: {
                enum: ['completed', 'stopped'],
                description:
                  "`stopped`: stopped by Ctrl+C, the stop route or a closed connection; the pipeline stopped and no error record is added, as in PowerShell's console.",
              },
              runId: str,
            },
            required: ['status', 'runId'],
          },
        ],
      },
    ],
  },
  PowerShellSession: {
    type: 'object',
    description:
      'A console session: the commands run with its `sessionId` share jobs, variables and functions, as in one powershell.exe console. Only its user sees it.',
    properties: {
      sessionId: { type: 'string', format: 'uuid' },
      idleTimeoutSeconds: {
        type: 'integer',
        description:
          'The session ends after this many seconds without a command (HYPERV_POWERSHELL_SESSION_IDLE_MINUTES).',
      },
    },
    required: ['sessionId', 'idleTimeoutSeconds'],
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

const runAnswer: ResponseObject = {
  description: 'The next prompt (interactive runs) or what the console shows at the end.',
  content: json(ref('PowerShellRunAnswer')),
};

const queueFull: ResponseObject = {
  description:
    'TOO_MANY_REQUESTS: too many runs are already waiting for the host (HYPERV_POWERSHELL_MAX_QUEUED_RUNS); `Retry-After` says when to try again.',
  headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  content: json(ref('Error')),
};

const runIdParam = pathParam(
  'runId',
  'The run id (a UUID): the one the client gave in `POST /powershell`, or the one of its answer.',
);

export const powerShellPaths: Record<string, PathItemObject> = {
  '/powershell': {
    post: operation({
      operationId: 'runPowerShell',
      summary:
        'Run a Hyper-V PowerShell script on the host in a worker thread, under the run limits (one run at a time per host); script errors and exceeded limits are part of the 200 answer. Closing the request stops the run.',
      tag: 'powershell',
      body: { schema: powerShellBody, required: true },
      responses: {
        '200': runAnswer,
        '404': {
          description:
            "NOT_FOUND: the `sessionId` is another user's session. (An id no session has opens a new session with it for this user; a session that ended or expired starts over empty.)",
          content: json(ref('Error')),
        },
        '409': {
          description: 'NAME_CONFLICT: a run with this `runId` exists.',
          content: json(ref('Error')),
        },
        '429': {
          ...queueFull,
          description: `${queueFull.description} Also when a new \`sessionId\` would open a session past HYPERV_POWERSHELL_MAX_SESSIONS.`,
        },
      },
    }),
  },
  '/powershell/runs/{runId}/answer': {
    post: operation({
      operationId: 'answerPowerShellPrompt',
      summary:
        'Answer the pending prompt of an interactive run; answers like `POST /powershell` (the next prompt or the end). `{ "cancelled": true }` is Ctrl+C.',
      tag: 'powershell',
      parameters: [runIdParam],
      body: { schema: powerShellAnswerBody, required: true },
      responses: {
        '200': runAnswer,
        '409': {
          description: 'INVALID_STATE: the run is not waiting for an answer.',
          content: json(ref('Error')),
        },
      },
    }),
  },
  '/powershell/runs/{runId}/stop': {
    post: operation({
      operationId: 'stopPowerShellRun',
      summary:
        'Stop a run (Ctrl+C), queued or running; answers once it ended. Only the user who started it or an Administrator may stop it (others get 404).',
      tag: 'powershell',
      parameters: [runIdParam],
      responses: {
        '200': {
          description: 'The run ended; its own request answers `status: stopped`.',
          content: json({
            type: 'object',
            properties: { runId: str, status: { const: 'stopped' } },
            required: ['runId', 'status'],
          }),
        },
      },
    }),
  },
  '/powershell/sessions': {
    post: operation({
      operationId: 'createPowerShellSession',
      summary:
        "Open a console session for the signed-in user: runs given its `sessionId` keep their jobs, variables and functions for the next run. A user's further session past HYPERV_POWERSHELL_SESSIONS_PER_USER ends that user's least recently used idle one.",
      tag: 'powershell',
      responses: {
        '201': { description: 'The new session.', content: json(ref('PowerShellSession')) },
        '429': {
          description:
            "TOO_MANY_REQUESTS: the server holds its most sessions (HYPERV_POWERSHELL_MAX_SESSIONS), or all of this user's sessions are running commands; `Retry-After` says when to try again.",
          headers: {
            'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
          },
          content: json(ref('Error')),
        },
      },
    }),
  },
  '/powershell/sessions/{sessionId}': {
    delete: operation({
      operationId: 'closePowerShellSession',
      summary:
        "End a console session: its jobs (operations they started on the host still finish), variables and functions. Another user's session is 404, for Administrators too.",
      tag: 'powershell',
      parameters: [
        pathParam('sessionId', 'The session id (a UUID) from `POST /powershell/sessions`.'),
      ],
      responses: { '204': { description: 'Ended.' } },
    }),
  },
  '/powershell/files': {
    get: operation({
      operationId: 'listPowerShellFiles',
      summary:
        "The signed-in user's script files (the drive `Files:\\` of their scripts: Out-File, `>`, Export-Csv).",
      tag: 'powershell',
      responses: {
        '200': {
          description: 'The files, by name.',
          content: json({
            type: 'object',
            properties: {
              files: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: str,
                    length: { type: 'integer' },
                    lastWriteTime: { type: 'string', format: 'date-time' },
                  },
                  required: ['name', 'length', 'lastWriteTime'],
                },
              },
            },
            required: ['files'],
          }),
        },
      },
    }),
  },
  '/powershell/files/{name}': {
    get: operation({
      operationId: 'downloadPowerShellFile',
      summary: "Download one of the signed-in user's script files, as an attachment.",
      tag: 'powershell',
      parameters: [pathParam('name', 'The file name, as Get-ChildItem shows it.')],
      responses: {
        '200': {
          description:
            'The file as it is on disk (Out-File writes UTF-16LE with a byte-order mark).',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
      },
    }),
    delete: operation({
      operationId: 'deletePowerShellFile',
      summary: "Delete one of the signed-in user's script files.",
      tag: 'powershell',
      parameters: [pathParam('name', 'The file name, as Get-ChildItem shows it.')],
      responses: { '204': { description: 'Deleted.' } },
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
