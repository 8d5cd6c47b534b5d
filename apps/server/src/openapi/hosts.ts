/**
 * Connect to Server in the OpenAPI document: the user's servers (`/hosts`), and what a server
 * offers the servers that connect to it (`/host/identity`, host tokens).
 */
import { signInBody } from '../auth/sessionRoutes.js';
import { connectServerBody, probeBody } from '../hosts/schemas.js';
import { errorRef, json, operation, pathParam } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const str: JsonSchema = { type: 'string' };
const nullableStr: JsonSchema = { oneOf: [str, { type: 'null' }] };
function object(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

const fingerprint: JsonSchema = {
  ...str,
  description: 'SHA-256 of the server certificate, `AB:CD:...` (32 bytes).',
};

export const hostSchemas: Record<string, JsonSchema> = {
  HostSummary: object({
    id: { ...str, description: '`local` for this server; else the id for `/hosts/{hostId}/...`.' },
    computerName: str,
    address: { ...nullableStr, description: '`name:port` of another server; null for this one.' },
    local: { type: 'boolean' },
    state: {
      type: 'string',
      enum: ['Connected', 'Connecting', 'Unreachable', 'SignedOut', 'IdentityChanged'],
    },
    reason: nullableStr,
    userName: { ...str, description: 'The account used on that server.' },
    fingerprint: { ...nullableStr, description: 'The pinned fingerprint; null for this server.' },
  }),
  HostList: object({ hosts: { type: 'array', items: ref('HostSummary') } }),
  HostProbe: object({ address: str, computerName: str, fingerprint }),
  HostIdentity: object({ computerName: str, fingerprint }),
  HostToken: object({
    token: { ...str, description: 'Send it as `Authorization: Bearer <token>`.' },
    computerName: str,
    userName: str,
  }),
};

const unreachable = {
  description:
    'HOST_UNREACHABLE: the server cannot be reached; HOST_IDENTITY_CHANGED: it shows a certificate other than the pinned one (nothing was sent to it); HOST_SIGNED_OUT: it no longer accepts the token.',
  content: json(ref('Error')),
};

const hostIdParam = pathParam('hostId', 'The id of a connected server (from GET /hosts).');

export const hostPaths: Record<string, PathItemObject> = {
  '/hosts': {
    get: operation({
      operationId: 'listHosts',
      summary:
        "The servers in the console's left pane: this one, then the user's other servers with their state. Any other request under `/hosts/{hostId}/` is the same `/api/v1/` request forwarded to that server, which applies its own roles.",
      tag: 'hosts',
      responses: { '200': { description: 'The servers.', content: json(ref('HostList')) } },
    }),
    post: operation({
      operationId: 'connectToServer',
      summary:
        'Connect to Server: the server must show the confirmed fingerprint; then the credentials are sent to it for a host token, kept encrypted',
      tag: 'hosts',
      body: { schema: connectServerBody, required: true },
      responses: {
        '201': { description: 'Connected.', content: json(ref('HostSummary')) },
        '401': errorRef('Unauthenticated'),
        '409': errorRef('Conflict'),
        '502': unreachable,
      },
    }),
  },
  '/hosts/probe': {
    post: operation({
      operationId: 'probeServer',
      summary: 'The name and certificate fingerprint a server shows, to confirm before connecting',
      tag: 'hosts',
      body: { schema: probeBody, required: true },
      responses: {
        '200': { description: 'What the server shows.', content: json(ref('HostProbe')) },
        '502': unreachable,
      },
    }),
  },
  '/hosts/{hostId}': {
    delete: operation({
      operationId: 'removeServer',
      summary: 'Removes a server from the console and revokes its token there when reachable',
      tag: 'hosts',
      parameters: [hostIdParam],
      responses: { '204': { description: 'Removed.' } },
    }),
  },
  '/hosts/{hostId}/actions/reconnect': {
    post: operation({
      operationId: 'reconnectServer',
      summary: 'Tries to reach an unreachable server now',
      tag: 'hosts',
      parameters: [hostIdParam],
      responses: { '202': { description: 'Trying.' } },
    }),
  },
  '/host/identity': {
    get: operation({
      operationId: 'getHostIdentity',
      summary:
        "This server's name and certificate fingerprint, on its host-to-host port (no sign-in)",
      tag: 'hosts',
      responses: { '200': { description: 'The identity.', content: json(ref('HostIdentity')) } },
    }),
  },
  '/session/host-tokens': {
    post: operation({
      operationId: 'issueHostToken',
      summary:
        'A host token for a console that manages this server, for a user name and password (checked as sign-in checks them)',
      tag: 'hosts',
      body: { schema: signInBody, required: true },
      responses: {
        '201': { description: 'Issued.', content: json(ref('HostToken')) },
        '401': errorRef('Unauthenticated'),
        '429': errorRef('TooManyRequests'),
      },
    }),
  },
  '/session/host-tokens/current': {
    delete: operation({
      operationId: 'revokeHostToken',
      summary: 'Revokes the host token of the request',
      tag: 'hosts',
      responses: { '204': { description: 'Revoked.' } },
    }),
  },
};
