/**
 * The PowerShell console of the host: `POST /powershell` runs a script (script errors are a normal
 * answer, as in a console) in a worker thread under the run limits; an interactive run answers
 * early at each prompt and goes on with `POST /powershell/runs/{runId}/answer`; `POST
 * /powershell/runs/{runId}/stop` stops a run (Ctrl+C), as does closing the request that waits for
 * it. `GET /powershell/completions` completes cmdlet and parameter names.
 */
import { AsyncResource } from 'node:async_hooks';
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import type { Host } from '@hvm/engine';
import { ErrorCode } from '@hvm/engine';
import { completeCommand } from '@hvm/powershell';
import { z } from 'zod';
import { requestUser } from '../auth/requestUser.js';
import { Role } from '../auth/roles.js';
import { HttpError, HttpErrorCode } from '../http/errors.js';
import { powerShellBody, powerShellCompletionsQuery } from '../http/schemas.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { writeJsonAnswer } from '../powershell/objectsJson.js';
import { RunQueueFullError } from '../powershell/runQueue.js';
import type { ServerRun, PowerShellRuns } from '../powershell/runs.js';
import { RunIdInUseError } from '../powershell/runs.js';
import { powerShellAnswerBody, runIdSchema } from '../powershell/schemas.js';
import { sessionForRun, sessionRoutes } from './powershellSessions.js';
import { scriptFileRoutes } from './powershellFiles.js';

/** Console width when the client does not say. */
export const DEFAULT_CONSOLE_WIDTH = 120;

/** A script may be 100000 characters long, more than the 100 kB of the other routes once in JSON. */
export const POWERSHELL_BODY_LIMIT = '1mb';

/** Seconds a client whose run was refused for a full queue is asked to wait. */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

const runParams = z.object({ runId: runIdSchema });

/** Answers the run's next prompt or its end; a client that goes away meanwhile stops the run. */
async function answerNext(run: ServerRun, res: Response): Promise<void> {
  const stopIfGone = (): void => {
    if (!res.writableFinished) void run.stop();
  };
  res.on('close', stopIfGone);
  const answer = await run.next();
  res.off('close', stopIfGone);
  if (answer.status === 'prompt') res.json(answer);
  else writeJsonAnswer(res, answer);
}

export function powerShellRoutes(host: Host, runs: PowerShellRuns): Router {
  const router = Router();

  /** The run of this id, if the request's user may act on it (its owner or an Administrator). */
  const visibleRun = (req: Request): ServerRun => {
    const { runId } = validateParams(runParams, req);
    const user = requestUser(req);
    const run = runs.get(runId);
    if (run === undefined || (run.owner !== user.name && user.role !== Role.Administrator))
      throw new HttpError(
        ErrorCode.NotFound,
        `Unable to find a PowerShell run with ID '${runId}'.`,
        {
          object: 'powershell run',
          id: runId,
        },
      );
    return run;
  };

  router.post('/powershell', express.json({ limit: POWERSHELL_BODY_LIMIT }), async (req, res) => {
    const { script, width, interactive, runId, sessionId, objects } = validateBody(
      powerShellBody,
      req,
    );
    const session = sessionId === undefined ? undefined : sessionForRun(runs, req, res, sessionId);
    let run: ServerRun;
    try {
      run = runs.start({
        ...(runId === undefined ? {} : { runId }),
        ...(session === undefined ? {} : { session }),
        owner: requestUser(req).name,
        host,
        // Host calls from the worker run in this request's context: its user acts.
        inContext: AsyncResource.bind(<T>(fn: () => T): T => fn()),
        script,
        width: width ?? DEFAULT_CONSOLE_WIDTH,
        interactive: interactive === true,
        objects: objects !== false,
      });
    } catch (error) {
      if (error instanceof RunQueueFullError) {
        res.setHeader('Retry-After', String(QUEUE_FULL_RETRY_AFTER_SECONDS));
        throw new HttpError(
          HttpErrorCode.TooManyRequests,
          'Too many PowerShell runs are waiting for this host. Try again in a few seconds.',
          { waiting: error.waiting },
        );
      }
      if (error instanceof RunIdInUseError)
        throw new HttpError(ErrorCode.NameConflict, error.message, { id: runId });
      throw error;
    }
    await answerNext(run, res);
  });

  router.post(
    '/powershell/runs/:runId/answer',
    express.json({ limit: POWERSHELL_BODY_LIMIT }),
    async (req, res) => {
      const run = visibleRun(req);
      const { answer } = validateBody(powerShellAnswerBody, req);
      if (!run.answer(answer))
        throw new HttpError(ErrorCode.InvalidState, 'The run is not waiting for an answer.', {
          id: run.runId,
        });
      await answerNext(run, res);
    },
  );

  router.post('/powershell/runs/:runId/stop', async (req, res) => {
    const run = visibleRun(req);
    await run.stop();
    res.json({ runId: run.runId, status: 'stopped' });
  });

  router.use(sessionRoutes(runs));
  router.use(scriptFileRoutes(runs));

  router.get('/powershell/completions', (req, res) => {
    const { line, cursor } = validateQuery(powerShellCompletionsQuery, req);
    res.json({ completions: completeCommand(line, cursor ?? line.length) });
  });

  return router;
}
