/**
 * Limits failed sign-ins, per account name and per client address: after `maxFailures` failures
 * within `windowMs`, further attempts are refused until the oldest failure leaves the window.
 * A successful sign-in clears the account's failures (not the address's).
 */
import type { Clock } from './clock.js';

export interface RateLimit {
  maxFailures: number;
  windowMs: number;
}

export interface LoginRateLimits {
  perAccount: RateLimit;
  perAddress: RateLimit;
}

export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = {
  perAccount: { maxFailures: 5, windowMs: 15 * 60 * 1000 },
  perAddress: { maxFailures: 20, windowMs: 15 * 60 * 1000 },
};

class FailureWindow {
  private readonly failures = new Map<string, number[]>();

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

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.clock()]);
    if (this.failures.size > 10_000) this.prune();
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
    return Math.max(this.accounts.waitMs(accountKey(accountName)), this.addresses.waitMs(address));
  }

  failed(accountName: string, address: string): void {
    this.accounts.fail(accountKey(accountName));
    this.addresses.fail(address);
  }

  succeeded(accountName: string): void {
    this.accounts.clear(accountKey(accountName));
  }
}

const accountKey = (name: string): string => name.toLocaleLowerCase();
