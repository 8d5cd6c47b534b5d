/**
 * The names the server answers to, against DNS rebinding: a page on `evil.example` whose name is
 * made to resolve to 127.0.0.1 reaches this server with `Host: evil.example`. Only the names the
 * server is really reached by are served (any port: the attacker chooses the name, not the port
 * the browser connects to); anything else is 421 Misdirected Request, for the API and the web app
 * alike, whether sign-in is required or not.
 */
import { hostname as osHostname, networkInterfaces } from 'node:os';
import type { RequestHandler } from 'express';
import { HttpError, HttpErrorCode } from './errors.js';

export interface AllowedHostsOptions {
  /** The address or name the server listens on (`HOST`). */
  listenHost: string;
  /** `HYPERV_ALLOWED_HOSTS`: further names, e.g. the public name a TLS proxy serves. */
  extraHosts?: readonly string[];
  /** This machine's names, for a wildcard `listenHost`; default: the OS hostname and interface addresses. */
  machineNames?: () => readonly string[];
}

/** Characters a Host header may hold: a DNS name, an IPv4 address or a bracketed IPv6 one, a port. */
const hostHeaderPattern = /^[A-Za-z0-9._~\-[\]:]+$/;

/**
 * The host name of a `Host` header or of a configured name, lower-case, IPv6 in brackets, without
 * port or trailing dot; null when it is not a host name. The WHATWG URL parser does the parsing,
 * as a browser does.
 */
export function hostNameOf(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '' || !hostHeaderPattern.test(trimmed)) return null;
  const bareIpv6 =
    trimmed.includes(':') && !trimmed.startsWith('[') && trimmed.split(':').length > 2;
  try {
    const name = new URL(`http://${bareIpv6 ? `[${trimmed}]` : trimmed}`).hostname;
    return name.endsWith('.') ? name.slice(0, -1) : name;
  } catch {
    return null;
  }
}

/** `0.0.0.0` and `::`: the server listens on every interface of the machine. */
export function isWildcardHost(listenHost: string): boolean {
  const name = hostNameOf(listenHost);
  return name === '0.0.0.0' || name === '[::]';
}

function defaultMachineNames(): string[] {
  const names = [osHostname()];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const { address } of addresses ?? []) names.push(address.split('%')[0] ?? address);
  }
  return names;
}

/** The set of host names served, normalised by `hostNameOf`. */
export function allowedHostNames(options: AllowedHostsOptions): ReadonlySet<string> {
  const names = [
    options.listenHost,
    'localhost',
    '127.0.0.1',
    '[::1]',
    ...(options.extraHosts ?? []),
  ];
  if (isWildcardHost(options.listenHost)) {
    names.push(...(options.machineNames ?? defaultMachineNames)());
  }
  const allowed = new Set<string>();
  for (const name of names) {
    const normalised = hostNameOf(name);
    if (normalised !== null) allowed.add(normalised);
  }
  return allowed;
}

export function misdirectedRequest(hostHeader: string | undefined): HttpError {
  return new HttpError(
    HttpErrorCode.MisdirectedRequest,
    hostHeader === undefined
      ? 'The request names no host (Host header). This server answers only to the names it is reached by.'
      : 'This server does not answer to the host name of the request. Reach it by its own name or address, or add the name to HYPERV_ALLOWED_HOSTS.',
    hostHeader === undefined ? {} : { host: hostHeader.slice(0, 255) },
  );
}

/** Refuses, with 421, every request whose `Host` header names another site. */
export function hostGuard(allowed: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.host;
    const name = header === undefined ? null : hostNameOf(header);
    if (name === null || !allowed.has(name)) {
      next(misdirectedRequest(header));
      return;
    }
    next();
  };
}
