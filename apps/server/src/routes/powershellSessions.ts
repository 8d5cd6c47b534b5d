/**
 * Console sessions of the PowerShell console (powershell/sessions.ts): `POST /powershell/sessions`
 * opens one for the signed-in user, `POST /powershell` with its `sessionId` runs a command in it
 * (jobs, variables and functions stay for the next command), `DELETE /powershell/sessions/{id}`
 * ends it. A session is its user's alone: for any other user, an Administrator included, it does
 * not exist (404).
 */
import { Router } from 'express';
import type { Request } from 'express';
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

/** The session of this id if it belongs to the request's user; 404 otherwise. */
export function visibleSession(
  runs: PowerShellRuns,
  req: Request,
  sessionId: string,
): ConsoleSession {
  const session = runs.sessions.find(sessionId, requestUser(req).name);
  if (session === undefined)
    throw new HttpError(
      ErrorCode.NotFound,
      `Unable to find a PowerShell session with ID '${sessionId}'.`,
      { object: 'powershell session', id: sessionId },
    );
  return session;
}

export function sessionRoutes(runs: PowerShellRuns): Router {
  const router = Router();

  router.post('/powershell/sessions', (req, res) => {
    let session: ConsoleSession;
    try {
      session = runs.sessions.create(requestUser(req).name);
    } catch (error) {
      if (!(error instanceof SessionLimitError)) throw error;
      res.setHeader('Retry-After', String(SESSIONS_FULL_RETRY_AFTER_SECONDS));
      throw new HttpError(HttpErrorCode.TooManyRequests, error.message, {});
    }
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
