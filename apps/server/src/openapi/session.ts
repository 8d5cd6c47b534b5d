/** The session routes of the OpenAPI document (sign in, who am I, sign out) and their schemas. */
import { signInBody } from '../auth/sessionRoutes.js';
import { Permission, roles } from '../auth/roles.js';
import { errorRef, json, operation } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };

export const sessionSchemas: Record<string, JsonSchema> = {
  SessionInfo: {
    type: 'object',
    properties: {
      authentication: {
        type: 'string',
        enum: ['required', 'off'],
        description:
          '`off` (a loopback address, the default): every request acts as the local Administrator; `required`: requests need a signed-in session.',
      },
      signedIn: { type: 'boolean' },
      user: {
        oneOf: [
          {
            type: 'object',
            properties: {
              name: str,
              role: { type: 'string', enum: [...roles] },
              roleName: {
                type: 'string',
                description: 'Administrator, Checkpoint Operator or Reader.',
              },
              virtualMachines: {
                type: 'array',
                items: str,
                description: 'For a Checkpoint Operator: the VMs (names or ids) granted to it.',
              },
              permissions: {
                type: 'array',
                items: { type: 'string', enum: Object.values(Permission) },
              },
            },
            required: ['name', 'role', 'roleName', 'virtualMachines', 'permissions'],
          },
          { type: 'null' },
        ],
      },
      csrfToken: {
        oneOf: [str, { type: 'null' }],
        description: 'Send it in the `X-CSRF-Token` header of every POST, PATCH and DELETE.',
      },
      computerName: str,
    },
    required: ['authentication', 'signedIn', 'user', 'csrfToken', 'computerName'],
  },
};

const sessionCookieHeader = {
  'Set-Cookie': {
    description:
      '`hvm_session=<256-bit id>; Path=/; HttpOnly; SameSite=Strict`, plus `Secure` over HTTPS (directly or through a trusted TLS proxy).',
    schema: str,
  },
};

export const sessionPaths: Record<string, PathItemObject> = {
  '/session': {
    get: operation({
      operationId: 'getSession',
      summary: 'Who am I: whether sign-in is on, the user, the role and the CSRF token',
      tag: 'session',
      responses: { '200': { description: 'The session.', content: json(ref('SessionInfo')) } },
    }),
    post: operation({
      operationId: 'signIn',
      summary: 'Sign in with a local account; sets the session cookie',
      tag: 'session',
      body: { schema: signInBody, required: true },
      responses: {
        '200': {
          description: 'Signed in.',
          headers: sessionCookieHeader,
          content: json(ref('SessionInfo')),
        },
        '401': errorRef('Unauthenticated'),
        '429': errorRef('TooManyRequests'),
      },
    }),
    delete: operation({
      operationId: 'signOut',
      summary: 'Sign out: ends the session and clears the cookie (needs `X-CSRF-Token`)',
      tag: 'session',
      responses: {
        '204': { description: 'Signed out.' },
        '403': errorRef('Forbidden'),
      },
    }),
  },
};
