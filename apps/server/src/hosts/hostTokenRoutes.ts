/**
 * What this server offers a gateway: its identity (`GET /host/identity`: the computer name and the
 * fingerprint of its certificate, which carry no secret) and host tokens (`POST
 * /session/host-tokens` with a user name and password, checked as sign-in checks them; `DELETE
 * /session/host-tokens/current` revokes the token of the request).
 */
import express, { Router } from 'express';
import type { Authentication } from '../auth/authentication.js';
import { signInBody, checkCredentials } from '../auth/sessionRoutes.js';
import { HttpError, HttpErrorCode } from '../http/errors.js';
import { validateBody } from '../http/validate.js';

export interface HostIdentityInfo {
  computerName: string;
  fingerprint: string;
}

function notOffered(): HttpError {
  return new HttpError(
    HttpErrorCode.BadRequest,
    'This server does not accept connections from other servers: it has no host-to-host port (HYPERV_HOST_PORT).',
  );
}

export function hostTokenRoutes(auth: Authentication, fingerprint: string | undefined): Router {
  const router = Router();

  router.get('/host/identity', (_req, res) => {
    if (fingerprint === undefined) throw notOffered();
    res.setHeader('Cache-Control', 'no-store');
    res.json({ computerName: auth.computerName(), fingerprint } satisfies HostIdentityInfo);
  });

  router.post('/session/host-tokens', express.json({ limit: '10kb' }), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const tokens = auth.hostTokens;
    if (tokens === undefined || fingerprint === undefined) throw notOffered();
    const { userName, password } = validateBody(signInBody, req);
    if (auth.mode === 'off') {
      const token = await tokens.issue(auth.localUser.name, '');
      res
        .status(201)
        .json({ token, computerName: auth.computerName(), userName: auth.localUser.name });
      return;
    }
    const account = await checkCredentials(auth, req, res, userName, password);
    const token = await tokens.issue(account.name, account.passwordChangedAt);
    auth.log(`${JSON.stringify(account.name)} connected from another server (host token issued).`);
    res.status(201).json({ token, computerName: auth.computerName(), userName: account.name });
  });

  router.delete('/session/host-tokens/current', async (req, res) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.get('Authorization') ?? '')?.[1];
    if (token !== undefined) await auth.hostTokens?.revoke(token);
    res.status(204).end();
  });

  return router;
}
