/**
 * The state of each connected server, as the left pane shows it. A monitor keeps the server's event
 * stream open with the connection's token: while it is open the server is Connected; when it
 * closes or cannot be opened the server is Unreachable and the monitor tries again after a delay
 * that doubles from `retryMs.initial` up to `retryMs.max` (and stays there). A token the server
 * refuses (401) makes it Signed out and a certificate other than the pinned one Identity changed:
 * both wait for the user (connect again), with no retry.
 */
import type { IncomingMessage } from 'node:http';
import type { HostConnection } from './connectionStore.js';
import { HostIdentityChanged, pinnedRequest } from './remoteClient.js';
import type { SecretBox } from './secretBox.js';

export const HostConnectionState = {
  Connecting: 'Connecting',
  Connected: 'Connected',
  Unreachable: 'Unreachable',
  SignedOut: 'SignedOut',
  IdentityChanged: 'IdentityChanged',
} as const;
export type HostConnectionState = (typeof HostConnectionState)[keyof typeof HostConnectionState];

export interface RetryDelays {
  initial: number;
  max: number;
}

export const DEFAULT_RETRY_MS: RetryDelays = { initial: 1_000, max: 30_000 };

export interface HostStatus {
  state: HostConnectionState;
  /** Why the server is not connected, in a short sentence; null when connected. */
  reason: string | null;
  /** When the monitor tries again (ISO time), when it will. */
  nextAttemptAt: string | null;
}

export class HostMonitor {
  private status: HostStatus = {
    state: HostConnectionState.Connecting,
    reason: null,
    nextAttemptAt: null,
  };
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stream: IncomingMessage | undefined;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    readonly connection: HostConnection,
    private readonly box: SecretBox,
    private readonly retryMs: RetryDelays,
  ) {
    this.open();
  }

  get current(): HostStatus {
    return { ...this.status };
  }

  /** Tries again now (a user asked, or the server just answered a forwarded request). */
  retryNow(): void {
    if (this.stopped || this.status.state === HostConnectionState.Connected) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.abort.abort();
    this.stream?.destroy();
  }

  private set(state: HostConnectionState, reason: string | null, retry: boolean): void {
    if (this.stopped) return;
    let nextAttemptAt: string | null = null;
    if (retry) {
      const delay = Math.min(this.retryMs.max, this.retryMs.initial * 2 ** this.failures);
      this.failures = Math.min(this.failures + 1, 30);
      nextAttemptAt = new Date(Date.now() + delay).toISOString();
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.open();
      }, delay);
      this.timer.unref();
    }
    this.status = { state, reason, nextAttemptAt };
  }

  private open(): void {
    if (this.stopped) return;
    const token = this.box.open(this.connection.token);
    pinnedRequest(this.connection, {
      method: 'GET',
      path: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: this.abort.signal,
      timeoutMs: 10_000,
    }).then(
      (response) => {
        if (response.statusCode === 401) {
          response.resume();
          this.set(
            HostConnectionState.SignedOut,
            'The server no longer accepts your sign-in.',
            false,
          );
          return;
        }
        if (response.statusCode !== 200) {
          response.resume();
          this.set(
            HostConnectionState.Unreachable,
            `The server answered ${response.statusCode ?? 0}.`,
            true,
          );
          return;
        }
        this.failures = 0;
        this.stream = response;
        this.status = { state: HostConnectionState.Connected, reason: null, nextAttemptAt: null };
        response.resume();
        const closed = (): void => {
          if (this.stream !== response) return;
          this.stream = undefined;
          this.set(HostConnectionState.Unreachable, 'The connection to the server was lost.', true);
        };
        response.once('end', closed);
        response.on('error', closed);
        response.once('close', closed);
      },
      (error: unknown) => {
        if (error instanceof HostIdentityChanged) {
          this.set(
            HostConnectionState.IdentityChanged,
            'The server showed a certificate other than the one you confirmed.',
            false,
          );
          return;
        }
        this.set(HostConnectionState.Unreachable, 'The server cannot be reached.', true);
      },
    );
  }
}
