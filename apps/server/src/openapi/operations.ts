/** Helpers that build OpenAPI operations: parameters, bodies and the common error answers. */
import { z } from 'zod';
import { ref } from './schemas.js';
import type {
  Content,
  Headers,
  JsonSchema,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
} from './types.js';

export function fromZod(schema: z.ZodType): JsonSchema {
  const json: JsonSchema = { ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) };
  delete json.$schema;
  return json;
}

export const json = (schema: JsonSchema): Content => ({
  'application/json': { schema },
});

export function pathParam(name: string, description: string): ParameterObject {
  return { name, in: 'path', required: true, description, schema: { type: 'string' } };
}

export const vmIdParam = pathParam('vmId', 'The VM id (GUID).');
export const checkpointIdParam = pathParam('checkpointId', 'The checkpoint id (GUID).');
export const taskIdParam = pathParam('taskId', 'The task id.');

const errorResponse = (description: string): ResponseObject => ({
  description,
  content: json(ref('Error')),
});

export const errorResponses: Record<string, ResponseObject> = {
  InvalidJson: errorResponse('INVALID_JSON: the body is not valid JSON.'),
  NotFound: errorResponse('NOT_FOUND: the VM, checkpoint, task or route does not exist.'),
  Conflict: errorResponse(
    'INVALID_STATE, NAME_CONFLICT, LIMIT_EXCEEDED, CHECKPOINTS_DISABLED, PRODUCTION_CHECKPOINT_FAILED, OPERATION_IN_PROGRESS or CANCELLED (a power action cut short by another).',
  ),
  PayloadTooLarge: errorResponse('PAYLOAD_TOO_LARGE: the body exceeds 100 kB.'),
  ValidationFailed: errorResponse(
    'INVALID_ARGUMENT: a parameter or the body failed validation; `details.issues` lists the fields. CORRUPT_DISK: a disk or checkpoint file that cannot be read (with the structure and offset).',
  ),
  InternalError: errorResponse('An unexpected error (a bug), logged on the server.'),
  InsufficientStorage: errorResponse(
    'INSUFFICIENT_STORAGE: the host data folder is full ("There is not enough space on the disk."); the operation did not complete and nothing was lost.',
  ),
  StorageReadOnly: errorResponse(
    'STORAGE_READ_ONLY: the host data folder is read-only ("The media is write protected."); the operation did not complete and nothing was lost.',
  ),
  Unsupported: errorResponse('UNSUPPORTED: the operation is not supported.'),
  Unauthenticated: errorResponse(
    'UNAUTHENTICATED: sign-in is required and the request has no live session, or the user name or password is incorrect.',
  ),
  Forbidden: errorResponse(
    "ACCESS_DENIED: the role does not allow the operation (\"You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer '<host>'.\"); CSRF_TOKEN_INVALID: a POST, PATCH or DELETE without the session's `X-CSRF-Token`.",
  ),
  MisdirectedRequest: errorResponse(
    'MISDIRECTED_REQUEST: the `Host` header names a host this server does not answer to (DNS rebinding); see HYPERV_ALLOWED_HOSTS.',
  ),
  UnsupportedMediaType: errorResponse(
    'UNSUPPORTED_MEDIA_TYPE: the body is not `Content-Type: application/json`, or its `Content-Encoding` is not gzip, deflate or br. CROSS_SITE_REQUEST (403): the request comes from another site (`Origin`, `Sec-Fetch-Site`).',
  ),
  ServerBusy: {
    description:
      'SERVER_BUSY: too many backup disk reads at once; `Retry-After` says when to try again.',
    headers: {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
    },
    content: json(ref('Error')),
  },
  TooManyRequests: {
    description:
      'TOO_MANY_REQUESTS: too many failed sign-ins for the account or from the address, or too many open event streams; `Retry-After` says when to try again.',
    headers: {
      'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
    },
    content: json(ref('Error')),
  },
};

export const errorRef = (name: keyof typeof errorResponses): ReferenceObject => ({
  $ref: `#/components/responses/${name}`,
});

interface OperationSpec {
  operationId: string;
  summary: string;
  tag: string;
  parameters?: ParameterObject[];
  body?: { schema: z.ZodType; required: boolean };
  responses: Record<string, ResponseObject | ReferenceObject>;
  /** Adds 400/413 for routes reading a body and 404/409/422 for routes acting on the host. */
  errors?: { reads?: boolean; conflicts?: boolean };
}

export function operation(spec: OperationSpec): OperationObject {
  const reads = spec.errors?.reads ?? spec.body !== undefined;
  const conflicts = spec.errors?.conflicts ?? false;
  const responses: Record<string, ResponseObject | ReferenceObject> = { ...spec.responses };
  if (reads) {
    responses['400'] = errorRef('InvalidJson');
    responses['413'] = errorRef('PayloadTooLarge');
    responses['415'] = errorRef('UnsupportedMediaType');
  }
  responses['421'] = errorRef('MisdirectedRequest');
  if ((spec.parameters?.length ?? 0) > 0) responses['404'] = errorRef('NotFound');
  if (conflicts) responses['409'] = errorRef('Conflict');
  if (reads || (spec.parameters?.length ?? 0) > 0) responses['422'] = errorRef('ValidationFailed');
  responses['500'] = errorRef('InternalError');
  if (conflicts) {
    responses['501'] = errorRef('Unsupported');
    responses['503'] = errorRef('StorageReadOnly');
    responses['507'] = errorRef('InsufficientStorage');
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.parameters === undefined ? {} : { parameters: spec.parameters }),
    ...(spec.body === undefined
      ? {}
      : {
          requestBody: {
            required: spec.body.required,
            content: { 'application/json': { schema: fromZod(spec.body.schema) } },
          },
        }),
    responses,
  };
}

export const location = (description: string): Headers => ({
  Location: { description, schema: { type: 'string' } },
});
