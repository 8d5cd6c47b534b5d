/**
 * Console sessions: what one PowerShell command leaves for the next in the console pane, as in
 * powershell.exe (jobs, variables, functions). Each session is its user's: only the account that
 * created it can run commands in it or close it (an Administrator included: others' sessions do not
 * exist for them). Each session has a script worker of its own, which holds its state; jobs go on
 * running there between commands.
 *
 * Bounded: sessions in all (`maxSessions`: more are refused) and per user (`sessionsPerUser`: a new
 * one ends that user's least recently used session), idle expiry (`sessionIdleMs`), and in each
 * session the jobs and the items each job keeps (`@hvm/powershell` SessionLimits).
 *
 * What a session loses: a command ended with its worker (the time limit passing while the script was
 * inside one step, or the worker's memory limit) ends the worker and with it the session's
 * variables, functions and jobs; the session goes on, empty, with the next command. Operations jobs
 * had started on the host finish there all the same.
 */
import { randomUUID } from 'node:crypto';
import type { ScriptWorker, ScriptWorkerPool } from './scriptWorkers.js';
import type { Timers } from './timers.js';

export interface SessionLimitsConfig {
  maxSessions: number;
  sessionsPerUser: number;
  sessionIdleMs: number;
  maxJobsPerSession: number;
  maxJobItems: number;
}

export class SessionLimitError extends Error {
  override readonly name = 'SessionLimitError';
}

export class ConsoleSession {
  private worker: ScriptWorker | null = null;
  private idleTimer: unknown = null;
  /** Runs of this session not yet ended (one at a time on the host, but queued ones count). */
  private active = 0;
  lastUsed: number;
  closed = false;

  constructor(
    readonly sessionId: string,
    readonly owner: string,
    private readonly registry: ConsoleSessions,
  ) {
    this.lastUsed = Date.now();
    this.armIdleTimer();
  }

  /** A run of the session begins: the idle clock stops until it ends. */
  begin(): void {
    this.active++;
    this.lastUsed = Date.now();
    this.registry.timers.clearTimeout(this.idleTimer);
  }

  /** The session's worker (a new one after the last was ended: the session starts over). */
  acquireWorker(pool: ScriptWorkerPool): ScriptWorker {
    if (this.worker?.alive !== true) this.worker = pool.createDedicated();
    return this.worker;
  }

  /** A run of the session ended. */
  end(): void {
    this.active = Math.max(0, this.active - 1);
    this.lastUsed = Date.now();
    if (this.closed) this.worker?.terminate();
    else if (this.active === 0) this.armIdleTimer();
  }

  get running(): boolean {
    return this.active > 0;
  }

  /** Ends the session: its worker (and with it its jobs and variables) once no run uses it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.registry.timers.clearTimeout(this.idleTimer);
    this.registry.forget(this);
    if (this.active === 0) this.worker?.terminate();
  }

  private armIdleTimer(): void {
    this.registry.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.registry.timers.setTimeout(
      () => this.close(),
      this.registry.limits.sessionIdleMs,
    );
  }
}

export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    readonly limits: SessionLimitsConfig,
    readonly timers: Timers,
  ) {}

  /**
   * A new session of `owner` (with the client's id, or a new one); throws SessionLimitError when the
   * server holds its most sessions. The id must not be in use.
   */
  create(owner: string, sessionId: string = randomUUID()): ConsoleSession {
    if (this.sessions.has(sessionId)) throw new Error(`Session ${sessionId} exists.`);
    const own = [...this.sessions.values()].filter((s) => s.owner === owner);
    if (own.length >= this.limits.sessionsPerUser) {
      const idle = own.filter((s) => !s.running).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle === undefined)
        throw new SessionLimitError(
          `${owner} already has ${own.length} PowerShell sessions running commands.`,
        );
      idle.close();
    }
    if (this.sessions.size >= this.limits.maxSessions)
      throw new SessionLimitError(
        `The server already holds ${this.sessions.size} PowerShell sessions.`,
      );
    const session = new ConsoleSession(sessionId, owner, this);
    this.sessions.set(session.sessionId, session);
    return session;
  }

  /** The session of this id if it is `owner`'s; another user's session does not exist for them. */
  find(sessionId: string, owner: string): ConsoleSession | undefined {
    const session = this.sessions.get(sessionId);
    return session?.owner === owner ? session : undefined;
  }

  /** Whether a session has this id, whoever its user. */
  has(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  forget(session: ConsoleSession): void {
    if (this.sessions.get(session.sessionId) === session) this.sessions.delete(session.sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) session.close();
  }
}
