/** Test fixture: an app on a real listening socket, and raw HTTP requests with any headers. */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer, DEFAULT_CONNECTION_LIMITS } from '../http/httpServer.js';
import type { ConnectionLimits } from '../http/httpServer.js';

export interface Listening {
  server: Server;
  port: number;
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1 on a free port through the bounded HTTP server. */
export async function listen(
  app: RequestListener,
  limits: Partial<ConnectionLimits> = {},
): Promise<Listening> {
  const server = createHttpServer(app, { ...DEFAULT_CONNECTION_LIMITS, ...limits });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Sent as given: a forged Host, Origin, Sec-Fetch-Site, Content-Type... */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One request on its own connection, exactly as an attacker's client would send it. */
export function send(port: number, raw: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: raw.method ?? 'GET',
        path: raw.path,
        headers: {
          ...(raw.body === undefined
            ? {}
            : { 'Content-Length': String(Buffer.byteLength(raw.body)) }),
          ...raw.headers,
        },
        agent: false,
        setHost: raw.headers?.Host === undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** The `error.code` of a JSON error answer. */
export function errorCode(response: RawResponse): unknown {
  return (response.json as { error?: { code?: unknown } } | undefined)?.error?.code;
}
