/**
 * The session cookie: `HttpOnly` (scripts cannot read it), `SameSite=Strict` (other sites cannot
 * send it), `Path=/`, no expiry date (it ends with the browser; the server ends idle sessions) and
 * `Secure` when the request came over HTTPS: directly, or through a TLS proxy the server trusts
 * (`HYPERV_TRUST_PROXY`, which makes Express read `X-Forwarded-Proto`).
 */
import type { Request } from 'express';

export const SESSION_COOKIE = 'hvm_session';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

function attributes(req: Request): string {
  return `Path=/; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`;
}

export function sessionCookie(req: Request, sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; ${attributes(req)}`;
}

export function clearedSessionCookie(req: Request): string {
  return `${SESSION_COOKIE}=; Max-Age=0; ${attributes(req)}`;
}
