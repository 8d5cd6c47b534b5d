/**
 * `/session`: sign in (POST), who am I (GET), sign out (DELETE). When authentication is off, GET
 * says so and names the local Administrator every request acts as.
 */
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import type { Account } from './accountStore.js';
import { z } from 'zod';
import type { HttpError } from '../http/errors.js';
import { validateBody } from '../http/validate.js';
import type { Authentication, SessionContext } from './authentication.js';
import { CSRF_HEADER } from './authentication.js';
import {
  csrfTokenInvalid,
  signInBusy,
  tooManySignInAttempts,
  wrongCredentials,
} from './authErrors.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';
import { HashingQueueFull } from './passwordHasher.js';
import { verifyAgainstDecoy, verifyPassword } from './passwords.js';
import type { RequestUser } from './requestUser.js';
import { Permission, roleAllows, roleDisplayName } from './roles.js';
import type { Role } from './roles.js';
import { sameSecret } from './sessions.js';
import type { SessionInfo as SharedSessionInfo } from '@hvm/contracts';

export const signInBody = z.strictObject({
  userName: z.string().min(1, 'Type a user name.').max(256, 'The user name is too long.'),
  password: z.string().min(1, 'Type a password.').max(1024, 'The password is too long.'),
});

/** GET and POST /session (the type the web app reads too, from @hvm/contracts). */
export type SessionInfo = SharedSessionInfo<Role, Permission>;

function describeUser(user: RequestUser): NonNullable<SessionInfo['user']> {
  return {
    name: user.name,
    role: user.role,
    roleName: roleDisplayName[user.role],
    virtualMachines: [...user.virtualMachines],
    permissions: Object.values(Permission).filter((permission) =>
      roleAllows(user.role, permission),
    ),
  };
}

/** An account's name for the log; a name that is no account (perhaps a mistyped password) is not repeated. */
function knownName(auth: Authentication, userName: string): string {
  const account = auth.accounts?.find(userName);
  return account === undefined ? 'an unknown user name' : JSON.stringify(account.name);
}

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Checks a user name and password as sign-in does (the same limits, hashing queue and log) and
 * gives the account, or throws the refusal.
 */
export async function checkCredentials(
  auth: Authentication,
  req: Request,
  res: Response,
  userName: string,
  password: string,
): Promise<Account> {
  const address = clientAddress(req);
  const refusal = (retryAfterSeconds: number, busy: boolean): HttpError => {
    res.setHeader('Retry-After', String(retryAfterSeconds));
    auth.log(
      `Sign-in refused for ${knownName(auth, userName)} from ${address}: ${busy ? 'too many attempts at once' : 'too many failed attempts'}.`,
    );
    return busy ? signInBusy(retryAfterSeconds) : tooManySignInAttempts(retryAfterSeconds);
  };
  const account = auth.accounts?.find(userName);
  // From here until the hash is queued nothing waits, so that no other request can take the
  // hashing queue's last place or this attempt's slot in between.
  if (!auth.hasher.hasRoom()) throw refusal(auth.hasher.retryAfterSeconds(), true);
  const attempt = auth.limiter.begin(userName, address);
  if (attempt.refused !== undefined) {
    throw refusal(attempt.retryAfterSeconds, attempt.refused === 'busy');
  }
  let valid: boolean;
  try {
    valid =
      account === undefined
        ? await verifyAgainstDecoy(password, auth.hasher)
        : await verifyPassword(password, account.password, auth.hasher);
  } catch (error) {
    if (!(error instanceof HashingQueueFull)) {
      attempt.failed();
      throw error;
    }
    attempt.withdrawn();
    throw refusal(error.retryAfterSeconds, true);
  }
  if (account === undefined || !valid) {
    attempt.failed();
    auth.log(`Sign-in failed for ${knownName(auth, userName)} from ${address}.`);
    throw wrongCredentials();
  }
  attempt.succeeded();
  return account;
}

export function sessionRoutes(auth: Authentication): Router {
  const router = Router();

  const info = (
    user: RequestUser | undefined,
    context: SessionContext | undefined,
  ): SessionInfo => ({
    authentication: auth.mode,
    signedIn: user !== undefined,
    user: user === undefined ? null : describeUser(user),
    csrfToken: auth.mode === 'off' ? null : (context?.session.csrfToken ?? null),
    computerName: auth.computerName(),
  });

  router.get('/session', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (auth.mode === 'off') {
      res.json(info(auth.localUser, undefined));
      return;
    }
    const context = auth.sessionOf(req, res);
    res.json(info(auth.userOf(context), context));
  });

  router.post('/session', express.json({ limit: '10kb' }), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const { userName, password } = validateBody(signInBody, req);
    if (auth.mode === 'off') {
      res.json(info(auth.localUser, undefined));
      return;
    }
    const address = clientAddress(req);
    const account = await checkCredentials(auth, req, res, userName, password);
    const previous = auth.sessionOf(req, res);
    if (previous !== undefined) auth.sessions.end(previous.id);
    const created = auth.sessions.create(account);
    const context: SessionContext = { id: created.id, session: created.session };
    res.append('Set-Cookie', sessionCookie(req, created.id));
    auth.log(`${JSON.stringify(account.name)} signed in from ${address}.`);
    res.json(info(auth.userOf(context), context));
  });

  router.delete('/session', (req, res) => {
    if (auth.mode === 'off') {
      res.status(204).end();
      return;
    }
    const context = auth.sessionOf(req, res);
    if (context !== undefined) {
      const token = req.get(CSRF_HEADER);
      if (token === undefined || !sameSecret(token, context.session.csrfToken)) {
        throw csrfTokenInvalid();
      }
      auth.sessions.end(context.id);
      auth.log(`${JSON.stringify(context.session.accountName)} signed out.`);
    }
    res.append('Set-Cookie', clearedSessionCookie(req));
    res.status(204).end();
  });

  return router;
}
