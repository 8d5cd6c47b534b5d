/**
 * The PowerShell console of the host: `POST /powershell` runs a script (script errors are a normal
 * answer, as in a console), `GET /powershell/completions` completes cmdlet and parameter names.
 */
import express, { Router } from 'express';
import type { Host } from '@hvm/engine';
import { completeCommand, runPowerShell } from '@hvm/powershell';
import type { PowerShellResult } from '@hvm/powershell';
import { powerShellBody, powerShellCompletionsQuery } from '../http/schemas.js';
import { validateBody, validateQuery } from '../http/validate.js';
import { runQueued } from '../powershell/runQueue.js';

/** Console width when the client does not say. */
export const DEFAULT_CONSOLE_WIDTH = 120;

/** A script may be 100000 characters long, more than the 100 kB of the other routes once in JSON. */
export const POWERSHELL_BODY_LIMIT = '1mb';

export function powerShellRoutes(host: Host): Router {
  const router = Router();

  router.post('/powershell', express.json({ limit: POWERSHELL_BODY_LIMIT }), async (req, res) => {
    const { script, width } = validateBody(powerShellBody, req);
    const result: PowerShellResult = await runQueued(host, () =>
      runPowerShell(host, script, { width: width ?? DEFAULT_CONSOLE_WIDTH }),
    );
    res.json(result);
  });

  router.get('/powershell/completions', (req, res) => {
    const { line, cursor } = validateQuery(powerShellCompletionsQuery, req);
    res.json({ completions: completeCommand(line, cursor ?? line.length) });
  });

  return router;
}
