/**
 * Limits sign-in attempts, per account name and per client address.
 *
 * - Failures: after `maxFailures` attempts within `windowMs`, further attempts are refused until
 *   the oldest leaves the window. An attempt counts as a failure when it begins, before its
 *   password is checked, so that attempts sent at once cannot all be checked while the first
 *   ones are still being hashed. A successful sign-in then gives its own attempt back, and clears
 *   the account's failures (not the address's others).
 * - At once: at most `maxConcurrent` attempts per account and per address are being checked at a
 *   time; more are refused until one ends (the hashing queue bounds all of them together).
 *
 * Account names are keyed by `nameKey` (NFKC, then case), the key that account lookup uses, so
 * that every spelling that signs in to an account is limited as that account.
 */
import { nameKey } from '@hvm/engine';
import type { Clock } from './clock.js';

export interface RateLimit {
  maxFailures: number;
  windowMs: number;
  /** Attempts checked at the same time; default 2. */
  maxConcurrent?: number;
}

export interface LoginRateLimits {
  perAccount: RateLimit;
  perAddress: RateLimit;
}

export const DEFAULT_MAX_CONCURRENT_SIGN_INS = 2;

export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = {
  perAccount: { maxFailures: 5, windowMs: 15 * 60 * 1000, maxConcurrent: 2 },
  perAddress: { maxFailures: 20, windowMs: 15 * 60 * 1000, maxConcurrent: 2 },
};

/** Why an attempt may not begin, and in how many seconds to try again. */
export interface SignInRefusal {
  refused: 'failures' | 'busy';
  retryAfterSeconds: number;
}

/** An attempt that began: it ends exactly once. */
export interface SignInAttempt {
  refused?: undefined;
  /** The password was right: the attempt is given back and the account's failures cleared. */
  succeeded(): void;
  /** The password was wrong (the failure was counted when the attempt began). */
  failed(): void;
  /** The password could not be checked (the hashing queue was full): the attempt is given back. */
  withdrawn(): void;
}

class FailureWindow {
  private readonly failures = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit.maxFailures) return 0;
    const oldest = recent[recent.length - this.limit.maxFailures] ?? 0;
    return Math.max(1, oldest + this.limit.windowMs - this.clock());
  }

  busy(key: string): boolean {
    const limit = this.limit.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_SIGN_INS;
    return (this.inFlight.get(key) ?? 0) >= limit;
  }

  /** Counts a failure now and one more attempt in flight; returns the failure's time. */
  begin(key: string): number {
    const at = this.clock();
    this.failures.set(key, [...this.recent(key), at]);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    if (this.failures.size > 10_000) this.prune();
    return at;
  }

  end(key: string): void {
    const count = (this.inFlight.get(key) ?? 1) - 1;
    if (count <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, count);
  }

  /** Takes back the failure counted at `at`. */
  giveBack(key: string, at: number): void {
    const recent = this.failures.get(key) ?? [];
    const index = recent.indexOf(at);
    if (index >= 0) recent.splice(index, 1);
    if (recent.length === 0) this.failures.delete(key);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock() - this.limit.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent;
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}

export class LoginRateLimiter {
  private readonly accounts: FailureWindow;
  private readonly addresses: FailureWindow;

  constructor(limits: LoginRateLimits, clock: Clock) {
    this.accounts = new FailureWindow(limits.perAccount, clock);
    this.addresses = new FailureWindow(limits.perAddress, clock);
  }

  /** Milliseconds to wait before this attempt may be tried; 0 when it may be tried now. */
  waitMs(accountName: string, address: string): number {
    return Math.max(this.accounts.waitMs(nameKey(accountName)), this.addresses.waitMs(address));
  }

  /** Begins an attempt (counting it as a failure until it succeeds), or says why it may not. */
  begin(accountName: string, address: string): SignInAttempt | SignInRefusal {
    const account = nameKey(accountName);
    const waitMs = this.waitMs(accountName, address);
    if (waitMs > 0) return { refused: 'failures', retryAfterSeconds: Math.ceil(waitMs / 1000) };
    if (this.accounts.busy(account) || this.addresses.busy(address)) {
      return { refused: 'busy', retryAfterSeconds: 1 };
    }
    const accountAt = this.accounts.begin(account);
    const addressAt = this.addresses.begin(address);
    let ended = false;
    const end = (): boolean => {
      if (ended) return false;
      ended = true;
      this.accounts.end(account);
      this.addresses.end(address);
      return true;
    };
    return {
      succeeded: () => {
        if (!end()) return;
        this.accounts.clear(account);
        this.addresses.giveBack(address, addressAt);
      },
      failed: () => {
        end();
      },
      withdrawn: () => {
        if (!end()) return;
        this.accounts.giveBack(account, accountAt);
        this.addresses.giveBack(address, addressAt);
      },
    };
  }
}
