/**
 * A JSON answer built once and served many times: its bytes, its ETag and, made on the first
 * request that accepts it, its gzip encoding (kept with it). A large list (2,000 VMs are about
 * 2 MB of JSON and under a tenth of that in gzip) then costs each request neither serialisation
 * nor compression, and a client that already holds this version gets a 304 with no body.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** Below this many bytes an answer is sent as it is: gzip would save less than it costs. */
export const GZIP_MIN_BYTES = 1024;

export interface CachedAnswer {
  readonly body: Buffer;
  readonly etag: string;
  /** The gzip encoding of `body`, made when first asked for. */
  gzip(): Buffer;
}

export function cachedAnswer(body: Buffer, etag: string): CachedAnswer {
  let gzipped: Buffer | null = null;
  return {
    body,
    etag,
    gzip: () => {
      // Level 1: a repetitive JSON list shrinks nearly as much as at level 6, several times faster.
      gzipped ??= gzipSync(body, { level: 1 });
      return gzipped;
    },
  };
}

/**
 * A JSON answer tagged by its own bytes (a weak ETag of their SHA-1): for an answer built on each
 * request that is small enough to hash (a VM's checkpoint tree), so that a client holding the same
 * version gets a 304 and keeps the object it already parsed.
 */
export function contentTaggedAnswer(value: unknown): CachedAnswer {
  const body = Buffer.from(JSON.stringify(value));
  const digest = createHash('sha1').update(body).digest('base64url');
  return cachedAnswer(body, `W/"${digest}"`);
}

/**
 * Sends the answer as JSON: 304 when the request's `If-None-Match` holds its ETag, gzip when the
 * client accepts it and the body is large enough, the bytes as they are otherwise. `no-cache`:
 * a browser keeps the answer but asks each time whether it is still current.
 */
export function sendCachedAnswer(req: Request, res: Response, answer: CachedAnswer): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', answer.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.type('application/json');
  if (answer.body.length >= GZIP_MIN_BYTES && req.acceptsEncodings('gzip') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(answer.gzip());
    return;
  }
  res.send(answer.body);
}
