/** The one way the web app talks to the server: JSON over fetch, errors as `ApiError`. */

import type { ApiErrorBody } from '@hvm/contracts';

/** The server's error body (shared with it through @hvm/contracts). */
export type { ApiErrorBody };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export const API_BASE = '/api/v1';

/**
 * The server the frame acts on (Connect to Server): '' for the server the console was loaded
 * from, `/hosts/{hostId}` for another, whose requests the loaded server forwards there.
 */
let selectedHostPath = '';

export function setSelectedHostPath(path: string): void {
  selectedHostPath = path;
}

/** The console's own requests (sign-in, the list of servers) always go to the loaded server. */
function isConsolePath(path: string): boolean {
  return /^\/(session|hosts)(\/|\?|$)/.test(path);
}

/** The path prefix of the selected server ('' for the loaded one), to keep a window on it. */
export function currentHostPath(): string {
  return selectedHostPath;
}

/** The URL of an API path on the selected server, or on `hostPath` when given. */
export function apiUrl(path: string, hostPath: string = selectedHostPath): string {
  return isConsolePath(path) ? `${API_BASE}${path}` : `${API_BASE}${hostPath}${path}`;
}

/** An error body as received: something in front of the server may leave out the details. */
interface ReceivedErrorBody {
  error: Omit<ApiErrorBody['error'], 'details'> & Partial<Pick<ApiErrorBody['error'], 'details'>>;
}

function isErrorBody(value: unknown): value is ReceivedErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const inner = value.error;
  return (
    typeof inner === 'object' &&
    inner !== null &&
    typeof (inner as { code?: unknown }).code === 'string' &&
    typeof (inner as { message?: unknown }).message === 'string'
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: keep the status line.
  }
  if (isErrorBody(body)) {
    return new ApiError(
      response.status,
      body.error.code,
      body.error.message,
      body.error.details ?? {},
    );
  }
  return new ApiError(
    response.status,
    'HTTP_ERROR',
    `The server answered ${response.status} ${response.statusText}`.trim(),
  );
}

/**
 * The last answer of each URL the server sent with an ETag (the VM list, 2 MB for 2,000 VMs; each
 * VM's checkpoint tree), already parsed. Reading it again asks with `If-None-Match`; a 304 gives
 * back the same object, so neither the browser parses it again nor React Query compares it item by
 * item. Bounded: past `VALIDATED_MAX` URLs the one least recently read is forgotten.
 */
const validated = new Map<string, { etag: string; data: unknown }>();
export const VALIDATED_MAX = 64;

function remember(url: string, etag: string, data: unknown): void {
  validated.delete(url);
  validated.set(url, { etag, data });
  if (validated.size > VALIDATED_MAX) validated.delete(validated.keys().next().value ?? '');
}

/** The header the server checks on every POST, PATCH and DELETE when sign-in is required. */
export const CSRF_HEADER = 'X-CSRF-Token';

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

/** The session's CSRF token (from GET/POST /session); null when sign-in is off or signed out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  // Another session may see other VMs: nothing read for this one is revalidated for it.
  validated.clear();
}

/** Called whenever the server answers 401: the session has ended and sign-in is needed again. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function headersFor(method: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (hasBody) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
  return headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /**
   * The server to send it to (`currentHostPath()` when it was chosen, a connection window's own
   * server); the selected one when absent or undefined.
   */
  hostPath?: string | undefined;
}

/** Sends a request under `/api/v1` and returns the parsed JSON body (undefined for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const url = apiUrl(path, options.hostPath);
  const held = method === 'GET' ? validated.get(url) : undefined;
  const headers = headersFor(method, options.body !== undefined);
  if (held !== undefined) headers['If-None-Match'] = held.etag;
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
    // The answer is validated here, by its ETag; the browser's cache would keep a second copy.
    ...(method === 'GET' ? { cache: 'no-store' as const } : {}),
  };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    throw new ApiError(
      0,
      'NETWORK_ERROR',
      `Cannot reach the server: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  if (response.status === 304 && held !== undefined) {
    remember(url, held.etag, held.data);
    return held.data as T;
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401) validated.clear();
    if (response.status === 401 && path !== '/session') {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = (text === '' ? undefined : JSON.parse(text)) as T;
  const etag = method === 'GET' ? response.headers.get('ETag') : null;
  if (etag !== null) remember(url, etag, data);
  return data;
}

/** A short human line for any error, for dialogs and message bars. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
