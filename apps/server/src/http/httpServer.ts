/**
 * The listening HTTP server, with bounds on what one client can hold: connections overall and per
 * client address (beyond them a new connection is closed at once, before any parsing), how long a
 * request may take to send its headers and its body, how long an idle keep-alive connection stays
 * open, and how long a connection may stay silent before its first byte.
 */
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Open connections in all; beyond, new ones are closed at once. */
  maxConnections: number;
  /** Open connections from one client address (the TCP peer, i.e. the proxy behind a proxy). */
  maxConnectionsPerAddress: number;
  /** Time to receive a request's headers; also how long a new connection may send nothing. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body. */
  requestTimeoutMs: number;
  /**
   * How long a keep-alive connection waits, idle, for its next request. Longer than any client
   * keeps an idle connection for reuse, so that the client, not the server, closes it: a request a
   * client sends as the server closes the connection fails with ECONNRESET.
   */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 1000,
  maxConnectionsPerAddress: 200,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Node's default is 5 s. Chromium keeps a used idle connection for 300 s
  // (g_used_idle_socket_timeout_s, net/socket/client_socket_pool.cc); Node's keep-alive agents
  // (Playwright's request context, the gateway's) keep one with no limit, so for them this only
  // makes the race need an idle pause of this length. Idle connections still count against the caps.
  keepAliveTimeoutMs: 310_000,
};

/** The TCP peer's address, IPv4-mapped IPv6 written as IPv4. */
export function peerAddress(socket: Socket): string {
  return (socket.remoteAddress ?? 'unknown').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** Counts connections per client address and closes those beyond the limit. */
function limitConnectionsPerAddress(server: Server, limit: number): void {
  const open = new Map<string, number>();
  // Prepended: the check runs before the HTTP layer sets up a parser for the socket.
  server.prependListener('connection', (socket: Socket) => {
    const address = peerAddress(socket);
    const count = open.get(address) ?? 0;
    if (count >= limit) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * Closes a connection that has not sent a whole request head within `timeoutMs` of being opened
 * (one that sends nothing at all included). Node's own `headersTimeout` is checked only every
 * `connectionsCheckingInterval`; this timer is exact. The socket's data is read by the HTTP parser
 * directly, so the first request, not a `data` event, ends the wait.
 */
function closeSilentConnections(server: Server, timeoutMs: number, secure: boolean): void {
  const waiting = new WeakMap<Socket, NodeJS.Timeout>();
  // Over TLS the request's socket is the TLS socket, known once the handshake is done (which
  // `handshakeTimeout` bounds).
  server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    if (socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    timer.unref();
    waiting.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (req: IncomingMessage) => {
    const timer = waiting.get(req.socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    waiting.delete(req.socket);
  });
}

/** A TLS certificate and its key (PEM), for the host-to-host port. */
export interface TlsIdentity {
  key: string;
  certificate: string;
}

/**
 * An HTTP server for `listener` (the Express app) with `limits` applied; HTTPS with `tls` (the
 * host-to-host port other servers connect to, hosts/identity.ts).
 */
export function createHttpServer(
  listener: RequestListener,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  tls?: TlsIdentity,
): Server {
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node looks for requests past their headers or request timeout.
    connectionsCheckingInterval: Math.max(
      10,
      Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)),
    ),
  };
  const server: Server =
    tls === undefined
      ? createServer(options, listener)
      : createTlsServer(
          {
            ...options,
            key: tls.key,
            cert: tls.certificate,
            minVersion: 'TLSv1.2',
            handshakeTimeout: limits.headersTimeoutMs,
          },
          listener,
        );
  server.maxConnections = limits.maxConnections;
  limitConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  closeSilentConnections(server, limits.headersTimeoutMs, tls !== undefined);
  return server;
}
