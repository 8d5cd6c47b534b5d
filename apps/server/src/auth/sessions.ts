/**
 * Server-side sessions. A session id is 256 random bits (base64url) and lives only in the
 * client's cookie; the server keeps its SHA-256, so that neither a log nor a memory dump of the
 * table gives a usable id. A session ends when it is idle longer than `idleMs`, after
 * `maxAgeMs` in any case, or when the user signs out.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.js';

export interface Session {
  accountName: string;
  /** When the account's password was last set, at sign-in: a newer password ends the session. */
  passwordChangedAt: string;
  /** Sent back in the `X-CSRF-Token` header of every state-changing request. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionOptions {
  clock: Clock;
  idleMs: number;
  maxAgeMs: number;
}

export const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;
export const DEFAULT_SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

const digest = (id: string): string => createHash('sha256').update(id).digest('hex');

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in constant time (for their common length). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly endListeners = new Map<string, Set<() => void>>();

  constructor(private readonly options: SessionOptions) {}

  /** Opens a session; the returned id goes into the cookie and is not kept. */
  create(account: { name: string; passwordChangedAt: string }): { id: string; session: Session } {
    this.sweep();
    const id = randomToken();
    const now = this.options.clock();
    const session: Session = {
      accountName: account.name,
      passwordChangedAt: account.passwordChangedAt,
      csrfToken: randomToken(),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(digest(id), session);
    return { id, session };
  }

  /** The live session of the id, its idle time restarted; undefined when unknown or expired. */
  touch(id: string): Session | undefined {
    const key = digest(id);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.options.clock();
    if (this.expired(session, now)) {
      this.remove(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  /** The live session of the id, without restarting its idle time (for long-lived streams). */
  peek(id: string): Session | undefined {
    const session = this.sessions.get(digest(id));
    return session === undefined || this.expired(session, this.options.clock())
      ? undefined
      : session;
  }

  end(id: string): void {
    this.remove(digest(id));
  }

  /** Ends every session of an account (removed, or its password reset). */
  endAll(accountName: string): void {
    for (const [key, session] of this.sessions) {
      if (session.accountName === accountName) this.remove(key);
    }
  }

  /** Calls `listener` once when the session of the id is ended (sign-out); returns the unsubscribe. */
  onEnd(id: string, listener: () => void): () => void {
    const key = digest(id);
    const listeners = this.endListeners.get(key) ?? new Set();
    listeners.add(listener);
    this.endListeners.set(key, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.endListeners.delete(key);
    };
  }

  private remove(key: string): void {
    this.sessions.delete(key);
    const listeners = this.endListeners.get(key);
    this.endListeners.delete(key);
    for (const listener of listeners ?? []) listener();
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session, now: number): boolean {
    return (
      now - session.lastSeenAt > this.options.idleMs ||
      now - session.createdAt > this.options.maxAgeMs
    );
  }

  private sweep(): void {
    const now = this.options.clock();
    for (const [key, session] of this.sessions) {
      if (this.expired(session, now)) this.remove(key);
    }
  }
}
