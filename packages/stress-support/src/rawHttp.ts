/**
 * One HTTP request on its own connection, sent exactly as a hostile client would send it: any
 * Host, Origin or Content-Type, from a chosen loopback address, with no agent reusing sockets.
 * For the server's tests and its abuse run.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  /** Sent as given: a forged Host, Origin, Sec-Fetch-Site, Content-Type... */
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The loopback address the connection comes from (127.0.0.2 stands for a second client). */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as UTF-8 text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An answer read by other means (a stream's first bytes, a socket), in the same shape. */
export function rawResponse(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
): RawResponse {
  const text = body.toString('utf8');
  return { status, headers, body, text, json: parsedJson(text) };
}

/** Sends `raw` to 127.0.0.1:`port` and reads the whole answer. */
export function sendRawRequest(port: number, raw: RawRequest): Promise<RawResponse> {
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
        ...(raw.localAddress === undefined ? {} : { localAddress: raw.localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          resolve(rawResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)));
        });
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** The `error.code` of a JSON error answer, or undefined. */
export function errorCodeOf(response: RawResponse): string | undefined {
  const code = (response.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}
