/**
 * Connect to Server, over HTTP: `GET /hosts` (this server and the user's other servers, each with
 * its state), `POST /hosts/probe` (the name and certificate fingerprint a server shows, before any
 * credential goes to it), `POST /hosts` (connect: the server must show the fingerprint the user
 * confirmed; only then are the user name and password sent to it, for a host token), `DELETE
 * /hosts/{hostId}`, and `/hosts/{hostId}/...`: any `/api/v1/...` request forwarded to that server
 * with the user's token for it (the event stream included).
 */
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { ErrorCode } from '@hvm/engine';
import type { HostList, HostProbe, HostSummary } from '@hvm/contracts';
import { LOCAL_HOST_ID } from '@hvm/contracts';
import { requestUser } from '../auth/requestUser.js';
import { HttpError, HttpErrorCode } from '../http/errors.js';
import { KeyedSlots } from '../http/requestSlots.js';
import { validateBody } from '../http/validate.js';
import { TooManyConnections } from './connectionStore.js';
import type { HostConnection } from './connectionStore.js';
import { hostIdentityChanged, hostSignedOut, hostUnreachable, unknownHost } from './gateway.js';
import type { Gateway } from './gateway.js';
import { sameFingerprint } from './identity.js';
import {
  HostIdentityChanged,
  parseAddress,
  pinnedJson,
  pinnedRequest,
  readCertificate,
} from './remoteClient.js';
import type { PinnedPeer, RemoteAddress } from './remoteClient.js';
import { connectServerBody, probeBody } from './schemas.js';
import { SERIAL_CONSOLE_MAX_BUFFERED_BYTES } from '../routes/serialConsole.js';
import {
  FORWARDED_EVENT_STREAM_MAX_BUFFERED_BYTES,
  relayEventStream,
} from './forwardedEventStream.js';

/** Request headers passed on to the other server; cookies, CSRF and Origin never are. */
const forwardedRequestHeaders = [
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'last-event-id',
  'if-match',
  'if-none-match',
  'range',
];

/** Answer headers passed back; `Set-Cookie` never is. A gzip answer passes through as it is. */
const forwardedResponseHeaders = [
  'content-type',
  'content-length',
  'content-encoding',
  'vary',
  'content-disposition',
  'cache-control',
  'retry-after',
  'location',
  'etag',
  'last-modified',
  'x-accel-buffering',
];

function invalidAddress(input: string): HttpError {
  return new HttpError(
    ErrorCode.InvalidArgument,
    `"${input.slice(0, 100)}" is not a server name or address. Type a name or address, and a port after a colon when it is not 8443.`,
  );
}

function addressOf(input: string): RemoteAddress {
  const address = parseAddress(input);
  if (address === null) throw invalidAddress(input);
  return address;
}

/** The name and fingerprint a server shows; nothing but a bare TLS handshake and GET are sent. */
async function probe(address: RemoteAddress): Promise<HostProbe & { certificate: string }> {
  let seen: { certificate: string; fingerprint: string };
  try {
    seen = await readCertificate(address);
  } catch {
    throw hostUnreachable(address.hostname);
  }
  const peer: PinnedPeer = { address: address.text, ...seen };
  let answer: { status: number; body: unknown };
  try {
    answer = await pinnedJson(peer, { method: 'GET', path: '/api/v1/host/identity' });
  } catch {
    throw hostUnreachable(address.hostname);
  }
  const body = answer.body as Partial<HostProbe> | null;
  if (answer.status !== 200 || typeof body?.computerName !== 'string') {
    throw hostUnreachable(address.hostname);
  }
  return {
    address: address.text,
    computerName: body.computerName.slice(0, 256),
    fingerprint: seen.fingerprint,
    certificate: seen.certificate,
  };
}

function errorBodyOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}

/** Probes and connections one user may have under way at once (each opens a TLS connection). */
export const OUTBOUND_ATTEMPTS_PER_USER = 2;

function tooManyAttempts(): HttpError {
  return new HttpError(
    HttpErrorCode.TooManyRequests,
    'Another connection to a server is still being made. Wait for it to finish and try again.',
    { retryAfterSeconds: 5 },
  );
}

export interface GatewayRouteOptions {
  /** What may wait in a viewer's socket for another server's serial console; default 256 KiB. */
  serialConsoleMaxBufferedBytes?: number;
}

/** A VM's serial console (Virtual Machine Connection) under `/hosts/{hostId}`. */
const SERIAL_CONSOLE_PATH = /^\/vms\/[^/?]+\/serial-console(?:\?|$)/;

export function gatewayRoutes(
  gateway: Gateway,
  localComputerName: () => string,
  options: GatewayRouteOptions = {},
): Router {
  const router = Router();
  const serialConsoleMaxBuffered =
    options.serialConsoleMaxBufferedBytes ?? SERIAL_CONSOLE_MAX_BUFFERED_BYTES;
  const attempts = new KeyedSlots(OUTBOUND_ATTEMPTS_PER_USER);
  /** Runs `work` in one of the user's outbound slots; 429 when they are all taken. */
  const bounded = async <T>(req: Request, res: Response, work: () => Promise<T>): Promise<T> => {
    const release = attempts.take(requestUser(req).name.toLowerCase());
    if (release === null) {
      res.setHeader('Retry-After', '5');
      throw tooManyAttempts();
    }
    try {
      return await work();
    } finally {
      release();
    }
  };

  const summary = (connection: HostConnection): HostSummary => {
    const status = gateway.statusOf(connection);
    return {
      id: connection.id,
      computerName: connection.computerName,
      address: connection.address,
      local: false,
      state: status.state,
      reason: status.reason,
      userName: connection.userName,
      fingerprint: connection.fingerprint,
    };
  };

  router.get('/hosts', (req, res) => {
    const user = requestUser(req);
    res.setHeader('Cache-Control', 'no-store');
    const local: HostSummary = {
      id: LOCAL_HOST_ID,
      computerName: localComputerName(),
      address: null,
      local: true,
      state: 'Connected',
      reason: null,
      userName: user.name,
      fingerprint: null,
    };
    res.json({ hosts: [local, ...gateway.store.of(user.name).map(summary)] } satisfies HostList);
  });

  router.post('/hosts/probe', express.json({ limit: '10kb' }), async (req, res) => {
    const { address } = validateBody(probeBody, req);
    const shown = await bounded(req, res, () => probe(addressOf(address)));
    const answer: HostProbe = {
      address: shown.address,
      computerName: shown.computerName,
      fingerprint: shown.fingerprint,
    };
    res.json(answer);
  });

  router.post('/hosts', express.json({ limit: '10kb' }), async (req, res) => {
    const user = requestUser(req);
    const body = validateBody(connectServerBody, req);
    const address = addressOf(body.address);
    const shown = await bounded(req, res, () => probe(address));
    // The credentials go only to the server whose certificate the user confirmed.
    if (!sameFingerprint(shown.fingerprint, body.fingerprint)) {
      throw hostIdentityChanged(shown.computerName, shown.fingerprint);
    }
    const peer: PinnedPeer = {
      address: address.text,
      certificate: shown.certificate,
      fingerprint: shown.fingerprint,
    };
    let answer: { status: number; body: unknown };
    try {
      answer = await pinnedJson(peer, {
        method: 'POST',
        path: '/api/v1/session/host-tokens',
        json: { userName: body.userName, password: body.password },
      });
    } catch (error) {
      if (error instanceof HostIdentityChanged) {
        throw hostIdentityChanged(shown.computerName, error.message);
      }
      throw hostUnreachable(shown.computerName);
    }
    const issued = answer.body as { token?: unknown; userName?: unknown } | null;
    if (answer.status !== 201 || typeof issued?.token !== 'string') {
      const error = errorBodyOf(answer.body);
      // The other server's own refusal (wrong password, too many attempts), in its words.
      const retryAfter = (answer.body as { error?: { details?: { retryAfterSeconds?: unknown } } })
        ?.error?.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      res.status(answer.status >= 400 && answer.status < 500 ? answer.status : 502).json({
        error: {
          code: error.code ?? 'HOST_UNREACHABLE',
          message: error.message ?? hostUnreachable(shown.computerName).message,
          details: { computerName: shown.computerName },
        },
      });
      return;
    }
    let connection: HostConnection;
    try {
      connection = await gateway.store.add({
        owner: user.name,
        address: address.text,
        computerName: shown.computerName,
        fingerprint: shown.fingerprint,
        certificate: shown.certificate,
        userName: typeof issued.userName === 'string' ? issued.userName : body.userName,
        token: gateway.box.seal(issued.token),
      });
    } catch (error) {
      if (error instanceof TooManyConnections) {
        throw new HttpError(ErrorCode.LimitExceeded, error.message);
      }
      throw error;
    }
    gateway.watch(connection);
    res.status(201).json(summary(connection));
  });

  const connectionOf = (req: Request, id: string): HostConnection => {
    const connection = gateway.store.get(requestUser(req).name, id);
    if (connection === undefined) throw unknownHost(id);
    return connection;
  };

  router.delete('/hosts/:hostId', async (req, res) => {
    const id = String(req.params.hostId);
    const connection = connectionOf(req, id);
    gateway.unwatch(id);
    await gateway.store.remove(requestUser(req).name, id);
    // Revokes the token on the other server when it can be reached; removed here either way.
    pinnedRequest(connection, {
      method: 'DELETE',
      path: '/api/v1/session/host-tokens/current',
      headers: { authorization: `Bearer ${gateway.box.open(connection.token)}` },
      timeoutMs: 5_000,
    }).then(
      (response) => response.resume(),
      () => undefined,
    );
    res.status(204).end();
  });

  router.post('/hosts/:hostId/actions/reconnect', (req, res) => {
    const id = String(req.params.hostId);
    connectionOf(req, id);
    gateway.retryNow(id);
    res.status(202).end();
  });

  router.use('/hosts/:hostId', (req, res, next) => {
    const id = String(req.params.hostId);
    const connection = connectionOf(req, id);
    // A console viewer is bounded as the other server bounds its own; host events more loosely.
    const maxBuffered = SERIAL_CONSOLE_PATH.test(req.url)
      ? serialConsoleMaxBuffered
      : FORWARDED_EVENT_STREAM_MAX_BUFFERED_BYTES;
    forward(gateway, connection, req, res, maxBuffered).catch(next);
  });

  return router;
}

async function forward(
  gateway: Gateway,
  connection: HostConnection,
  req: Request,
  res: Response,
  maxBufferedEventBytes: number,
): Promise<void> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${gateway.box.open(connection.token)}`,
  };
  for (const name of forwardedRequestHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'];
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  let answer;
  try {
    answer = await pinnedRequest(connection, {
      method: req.method,
      // Inside this router `req.url` is the rest after `/hosts/{hostId}`.
      path: `/api/v1${req.url.startsWith('/') ? req.url : `/${req.url}`}`,
      headers,
      ...(hasBody ? { body: req } : {}),
      signal: abort.signal,
      keepAlive: true,
    });
  } catch (error) {
    if (abort.signal.aborted) return;
    gateway.retryNow(connection.id);
    if (error instanceof HostIdentityChanged) {
      throw hostIdentityChanged(connection.computerName, error.message);
    }
    throw hostUnreachable(connection.computerName);
  }
  if (answer.statusCode === 401) {
    answer.resume();
    // Not a 401: the user is still signed in to this console.
    throw hostSignedOut(connection.computerName);
  }
  res.status(answer.statusCode ?? 502);
  for (const name of forwardedResponseHeaders) {
    const value = answer.headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  if (String(answer.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    res.flushHeaders();
    const unreachable = hostUnreachable(connection.computerName);
    relayEventStream({
      upstream: answer,
      viewer: res,
      maxBufferedBytes: maxBufferedEventBytes,
      unreachable: { code: unreachable.code, message: unreachable.message },
      onLost: () => gateway.retryNow(connection.id),
    });
    return;
  }
  answer.pipe(res);
  answer.on('error', () => res.destroy());
}
