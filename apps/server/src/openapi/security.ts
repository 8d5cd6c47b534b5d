/** How the OpenAPI document says who may call what: from the one table in auth/routeRules.ts. */
import { routeRules } from '../auth/routeRules.js';
import type { HttpMethod } from '../auth/routeRules.js';
import { errorRef } from './operations.js';
import type { PathItemObject, SecuritySchemeObject } from './types.js';

export const securitySchemes: Record<string, SecuritySchemeObject> = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'hvm_session',
    description: 'The session of POST /session (only when sign-in is required).',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'The `csrfToken` of GET /session, on every POST, PATCH and DELETE.',
  },
};

/** Adds `security`, `x-permission` and the 401/403 answers to every operation that needs sign-in. */
export function withAccessRules(
  paths: Record<string, PathItemObject>,
): Record<string, PathItemObject> {
  const result: Record<string, PathItemObject> = {};
  for (const [path, item] of Object.entries(paths)) {
    const copy: PathItemObject = {};
    for (const [method, operation] of Object.entries(item) as [
      HttpMethod,
      NonNullable<PathItemObject[HttpMethod]>,
    ][]) {
      const rule = routeRules[path]?.[method];
      if (rule === undefined || rule.access === 'public') {
        copy[method] = { ...operation, security: [] };
        continue;
      }
      copy[method] = {
        ...operation,
        security: [method === 'get' ? { sessionCookie: [] } : { sessionCookie: [], csrfToken: [] }],
        'x-permission': rule.permission,
        responses: {
          ...operation.responses,
          '401': errorRef('Unauthenticated'),
          '403': errorRef('Forbidden'),
        },
      };
    }
    result[path] = copy;
  }
  return result;
}
