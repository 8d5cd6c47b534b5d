/**
 * Cross-site requests: a page on another site can make the browser send a POST to this server
 * (an HTML form, or `fetch` with `mode: 'no-cors'` and a `text/plain` body) together with the
 * user's cookies. Every state-changing request (POST, PUT, PATCH, DELETE) is refused with 403 when
 * the browser says it comes from another site (`Sec-Fetch-Site: cross-site` or `same-site`) or its
 * `Origin` is not this server's own; and a body must be `application/json` (415 otherwise), which
 * no form can send and which a cross-site `fetch` can only send after a CORS preflight the server
 * never grants. Requests without `Origin` and `Sec-Fetch-Site` (hvps, curl, scripts) pass.
 * Reads are refused too when the browser marks them as from another site, all but a link followed
 * to a whole page (`isTopLevelNavigation`).
 */
import type { Request, RequestHandler } from 'express';
import { hostNameOf } from './allowedHosts.js';
import { HttpError, HttpErrorCode } from './errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function crossSiteRequest(reason: string): HttpError {
  return new HttpError(
    HttpErrorCode.CrossSiteRequest,
    `The request was refused: it comes from another site (${reason}). Change the host from this server's own pages or from a script that sends no Origin header.`,
  );
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Whether `Origin` is this server's: the same host and port as the request's `Host` header (the
 * address the browser connected to), or a name of `HYPERV_ALLOWED_HOSTS` (a proxy's public name).
 * A `Host` without a port (a proxy passing it on) matches the origin's default port, 80 or 443:
 * behind a proxy the server cannot tell which scheme the browser used.
 */
function isOwnOrigin(req: Request, origin: string, proxyNames: ReadonlySet<string>): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const defaultPort = defaultPorts[url.protocol];
  if (defaultPort === undefined || url.origin !== origin.trim()) return false;
  if (proxyNames.has(url.hostname)) return true;
  const host = req.headers.host;
  const hostName = host === undefined ? null : hostNameOf(host);
  if (host === undefined || hostName === null || hostName !== url.hostname) return false;
  const hostPort = /:(\d+)$/.exec(host.trim())?.[1];
  const originPort = url.port === '' ? defaultPort : url.port;
  return hostPort === undefined
    ? originPort === defaultPort
    : Number(hostPort) === Number(originPort);
}

/**
 * A link followed from another site: a GET that loads a whole page (`Sec-Fetch-Mode: navigate`,
 * `Sec-Fetch-Dest: document`). Every other request the browser marks as from another site is
 * refused, GETs included: such a page cannot read the answers (no CORS), but with `no-cors`
 * fetches or `<img>` it could hold the event stream places of the console or keep the host busy.
 * This is the resource isolation policy of web.dev's "Protect your resources from web attacks
 * with Fetch Metadata", with frames and objects refused too (the app may not be framed anyway).
 */
function isTopLevelNavigation(req: Request): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.get('Sec-Fetch-Mode')?.trim().toLowerCase() === 'navigate' &&
    req.get('Sec-Fetch-Dest')?.trim().toLowerCase() === 'document'
  );
}

/** Whether the request carries a body (`Content-Length: 0` does not). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}

export function notJson(contentType: string | undefined): HttpError {
  return new HttpError(
    HttpErrorCode.UnsupportedMediaType,
    'The request body must be JSON: send it with Content-Type: application/json.',
    contentType === undefined ? {} : { contentType: contentType.slice(0, 255) },
  );
}

/**
 * The middleware in front of everything: `proxyNames` are the normalised names of
 * `HYPERV_ALLOWED_HOSTS`.
 */
export function crossSiteGuard(proxyNames: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    const fetchSite = req.get('Sec-Fetch-Site')?.trim().toLowerCase();
    if ((fetchSite === 'cross-site' || fetchSite === 'same-site') && !isTopLevelNavigation(req)) {
      next(crossSiteRequest(`Sec-Fetch-Site: ${fetchSite}`));
      return;
    }
    if (safeMethods.has(req.method)) {
      next();
      return;
    }
    const origin = req.get('Origin');
    if (origin !== undefined && !isOwnOrigin(req, origin, proxyNames)) {
      next(crossSiteRequest(`Origin: ${origin.slice(0, 255)}`));
      return;
    }
    if (hasBody(req) && req.is('application/json') === false) {
      next(notJson(req.get('Content-Type')));
      return;
    }
    next();
  };
}
