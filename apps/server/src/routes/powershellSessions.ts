/**
 * Console sessions of the PowerShell console (powershell/sessions.ts): `POST /powershell` with a
 * `sessionId` runs the command in that session (jobs, variables and functions stay for the next
 * command); an id the server does not know opens a new session with it for the user (the console
 * pane picks its id when it opens, so it needs no request of its own; after an idle expiry the same
 * id starts over empty). `POST /powershell/sessions` opens one with an id of the server's, `DELETE
 * /powershell/sessions/{id}` ends one. A session is its user's alone: for any other user, an
 * Administrator included, it is 404.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ErrorCode } from '@hvm/engine';
import { z } from 'zod';
import { requestUser } from '../auth/requestUser.js';
import { HttpError, HttpErrorCode } from '../http/errors.js';
import { validateParams } from '../http/validate.js';
import type { PowerShellRuns } from '../powershell/runs.js';
import type { ConsoleSession } from '../powershell/sessions.js';
import { SessionLimitError } from '../powershell/sessions.js';

/** Seconds a client refused a session (the server holds its most) is asked to wait. */
export const SESSIONS_FULL_RETRY_AFTER_SECONDS = 60;

const sessionParams = z.object({ sessionId: z.uuid('The session ID must be a UUID.') });

function sessionNotFound(sessionId: string): HttpError {
  return new HttpError(
    ErrorCode.NotFound,
    `Unable to find a PowerShell session with ID '${sessionId}'.`,
    { object: 'powershell session', id: sessionId },
  );
}

/** 429 with Retry-After when the server holds its most sessions. */
function openSession(
  runs: PowerShellRuns,
  res: Response,
  owner: string,
  sessionId?: string,
): ConsoleSession {
  try {
    return runs.sessions.create(owner, sessionId);
  } catch (error) {
    if (!(error instanceof SessionLimitError)) throw error;
    res.setHeader('Retry-After', String(SESSIONS_FULL_RETRY_AFTER_SECONDS));
    throw new HttpError(HttpErrorCode.TooManyRequests, error.message, {});
  }
}

/** The session of this id if it belongs to the request's user; 404 otherwise. */
export function visibleSession(
  runs: PowerShellRuns,
  req: Request,
  sessionId: string,
): ConsoleSession {
  const session = runs.sessions.find(sessionId, requestUser(req).name);
  if (session === undefined) throw sessionNotFound(sessionId);
  return session;
}

/** The user's session of this id, opened now when no session has it; 404 when another user's. */
export function sessionForRun(
  runs: PowerShellRuns,
  req: Request,
  res: Response,
  sessionId: string,
): ConsoleSession {
  const owner = requestUser(req).name;
  const session = runs.sessions.find(sessionId, owner);
  if (session !== undefined) return session;
  if (runs.sessions.has(sessionId)) throw sessionNotFound(sessionId);
  return openSession(runs, res, owner, sessionId);
}

export function sessionRoutes(runs: PowerShellRuns): Router {
  const router = Router();

  router.post('/powershell/sessions', (req, res) => {
    const session = openSession(runs, res, requestUser(req).name);
    res.status(201).json({
      sessionId: session.sessionId,
      idleTimeoutSeconds: Math.round(runs.limits.sessionIdleMs / 1000),
    });
  });

  router.delete('/powershell/sessions/:sessionId', (req, res) => {
    const { sessionId } = validateParams(sessionParams, req);
    visibleSession(runs, req, sessionId).close();
    res.status(204).end();
  });

  return router;
}
