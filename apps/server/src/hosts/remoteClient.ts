/**
 * How the gateway talks to another server: over TLS to its host-to-host port, trusting exactly
 * the certificate pinned for it (`ca` is that certificate and the handshake is refused unless the
 * peer's SHA-256 fingerprint is the pinned one). `readCertificate` is the one call made to an
 * unverified peer: a TLS handshake and nothing sent, to show the fingerprint for confirmation.
 */
import { Agent, request } from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { sameFingerprint, fingerprintOf } from './identity.js';

export const DEFAULT_HOST_PORT = 8443;

export interface RemoteAddress {
  hostname: string;
  port: number;
  /** `hostname:port`, IPv6 in brackets. */
  text: string;
}

/** Parses `name`, `name:port`, `[v6]:port`; null when it is no address. */
export function parseAddress(input: string): RemoteAddress | null {
  const trimmed = input.trim();
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]{1,253}))(?::(\d{1,5}))?$/.exec(trimmed);
  if (match === null) return null;
  const hostname = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? DEFAULT_HOST_PORT : Number(match[3]);
  if (hostname === '' || port < 1 || port > 65_535) return null;
  if (match[1] !== undefined && isIP(hostname) !== 6) return null;
  const shown = isIP(hostname) === 6 ? `[${hostname}]` : hostname.toLowerCase();
  return { hostname: hostname.toLowerCase(), port, text: `${shown}:${port}` };
}

export class HostUnreachable extends Error {
  override readonly name = 'HostUnreachable';
}

export class HostIdentityChanged extends Error {
  override readonly name = 'HostIdentityChanged';
}

/** The certificate a server shows, read in a bare TLS handshake (nothing is sent to it). */
export function readCertificate(
  address: RemoteAddress,
  timeoutMs = 10_000,
): Promise<{ certificate: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: address.hostname,
      port: address.port,
      ...(isIP(address.hostname) === 0 ? { servername: address.hostname } : {}),
      rejectUnauthorized: false,
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new HostUnreachable('timed out')));
    socket.once('error', (error: Error) => reject(new HostUnreachable(error.message)));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      socket.destroy();
      if (peer.raw === undefined) {
        reject(new HostUnreachable('the server showed no certificate'));
        return;
      }
      const base64 = peer.raw.toString('base64').replace(/(.{64})/g, '$1\n');
      const certificate = `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`;
      resolve({ certificate, fingerprint: fingerprintOf(certificate) });
    });
  });
}

export interface PinnedPeer {
  address: string;
  certificate: string;
  fingerprint: string;
}

export interface PinnedRequest {
  method: string;
  /** The path and query under the server's root, e.g. `/api/v1/vms`. */
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: Buffer | NodeJS.ReadableStream;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Reuse a kept-alive TLS connection to the peer (keepAliveAgent) instead of a handshake per
   * request: for the console's forwarded requests, which come many to the same server.
   */
  keepAlive?: boolean;
}

/** Kept-alive connections are pooled per server address and pinned certificate, this many at most. */
export const MAX_KEEP_ALIVE_PEERS = 256;
/** Idle sockets kept open per server. */
const IDLE_SOCKETS_PER_PEER = 8;
const keepAliveAgents = new Map<string, Agent>();

/**
 * The pool of a peer's kept-alive connections. A socket is pinned when it is opened (the request's
 * `checkServerIdentity`); a certificate pinned anew is another key, so another pool.
 */
function keepAliveAgent(peer: PinnedPeer): Agent {
  const key = `${peer.address} ${peer.fingerprint}`;
  let agent = keepAliveAgents.get(key);
  if (agent === undefined) {
    if (keepAliveAgents.size >= MAX_KEEP_ALIVE_PEERS) {
      const [oldestKey, oldest] = keepAliveAgents.entries().next().value ?? [];
      oldest?.destroy();
      if (oldestKey !== undefined) keepAliveAgents.delete(oldestKey);
    }
    agent = new Agent({ keepAlive: true, maxFreeSockets: IDLE_SOCKETS_PER_PEER });
    keepAliveAgents.set(key, agent);
  }
  return agent;
}

/**
 * A request to a pinned peer. Rejects with HostIdentityChanged when the peer shows another
 * certificate (before anything is sent) and HostUnreachable when it cannot be reached.
 */
export function pinnedRequest(peer: PinnedPeer, options: PinnedRequest): Promise<IncomingMessage> {
  const address = parseAddress(peer.address);
  if (address === null) return Promise.reject(new HostUnreachable('not a server address'));
  return new Promise((resolve, reject) => {
    let identityError: HostIdentityChanged | undefined;
    const req = request({
      host: address.hostname,
      port: address.port,
      method: options.method,
      path: options.path,
      headers: { ...options.headers, host: address.text },
      ca: peer.certificate,
      agent: options.keepAlive === true ? keepAliveAgent(peer) : false,
      ...(isIP(address.hostname) === 0 ? { servername: address.hostname } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      checkServerIdentity: (_name, certificate) => {
        if (sameFingerprint(certificate.fingerprint256, peer.fingerprint)) return undefined;
        identityError = new HostIdentityChanged(certificate.fingerprint256);
        return identityError;
      },
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => {
      req.destroy(new HostUnreachable('timed out'));
    });
    req.once('response', (response) => {
      req.setTimeout(0);
      resolve(response);
    });
    req.once('error', (error) => {
      if (identityError !== undefined) reject(identityError);
      else if (error instanceof HostUnreachable || error.name === 'AbortError') reject(error);
      else reject(new HostUnreachable(error.message));
    });
    const body = options.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** Reads a whole JSON answer of a pinned peer. */
export async function pinnedJson(
  peer: PinnedPeer,
  options: PinnedRequest & { json?: unknown },
): Promise<{ status: number; body: unknown }> {
  const headers: OutgoingHttpHeaders = { accept: 'application/json', ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = Buffer.from(JSON.stringify(options.json));
    headers['content-type'] = 'application/json';
  }
  const response = await pinnedRequest(peer, {
    ...options,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) {
      response.destroy();
      throw new HostUnreachable('the answer is too large');
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.statusCode ?? 0, body: parsed };
}
