/**
 * Who sent a request. The authentication middleware records the user of every API request; routes
 * (and anything logging what a user did) read it with `requestUser(req)`.
 */
import type { Request } from 'express';
import type { Role } from './roles.js';

export interface RequestUser {
  /** The account name, e.g. "Administrator"; the local user's name when authentication is off. */
  name: string;
  role: Role;
  /** VM names or ids granted to a Checkpoint Operator; empty for the other roles. */
  virtualMachines: readonly string[];
  /** False when authentication is off and the request acts as the local Administrator. */
  authenticated: boolean;
}

const users = new WeakMap<Request, RequestUser>();

export function setRequestUser(req: Request, user: RequestUser): void {
  users.set(req, user);
}

/** The user of the request; throws when called for a request the authentication layer did not see. */
export function requestUser(req: Request): RequestUser {
  const user = users.get(req);
  if (user === undefined) {
    throw new Error(`No user is recorded for ${req.method} ${req.originalUrl}.`);
  }
  return user;
}

/** The user of the request, or undefined (e.g. a sign-in attempt not yet accepted). */
export function findRequestUser(req: Request): RequestUser | undefined {
  return users.get(req);
}
