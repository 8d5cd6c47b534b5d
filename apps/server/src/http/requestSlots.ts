/**
 * Bounds on long or heavy requests: open event streams per client, and backup disk reads at once
 * (each holds up to 4 MiB while it is read and sent). A request beyond a bound is answered at once
 * (429 or 503 with `Retry-After`) instead of holding memory or a connection.
 *
 * The semaphore is a few lines over a counter and a queue: the npm ones (p-limit, async-sema)
 * queue without bound or cannot drop a waiter whose client went away, which both matter here.
 */
import type { Request, RequestHandler, Response } from 'express';
import { HttpError, HttpErrorCode } from './errors.js';

/** Open slots per key (a session, a client address), each at most `limit`. */
export class KeyedSlots {
  private readonly open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release function, or null when `key` already holds `limit` slots. */
  take(key: string): (() => void) | null {
    const count = this.open.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  held(key: string): number {
    return this.open.get(key) ?? 0;
  }
}

/** At most `limit` holders at once and `queueLimit` waiting; `acquire` is null beyond both. */
export class BoundedSemaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly queueLimit: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Null when full; else a promise of a release function and a `cancel` that gives up the place
   * in the queue (or the slot, once granted).
   */
  acquire(): { granted: Promise<() => void>; cancel: () => void } | null {
    const release = this.releaser();
    if (this.active < this.limit) {
      this.active += 1;
      return { granted: Promise.resolve(release), cancel: release };
    }
    if (this.waiting.length >= this.queueLimit) return null;
    let grant: () => void = () => undefined;
    const granted = new Promise<() => void>((resolve) => {
      grant = () => {
        this.active += 1;
        resolve(release);
      };
    });
    this.waiting.push(grant);
    let cancelled = false;
    const cancel = (): void => {
      if (cancelled) return;
      cancelled = true;
      const at = this.waiting.indexOf(grant);
      if (at >= 0) this.waiting.splice(at, 1);
      else release();
    };
    return { granted, cancel };
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiting.shift()?.();
    };
  }
}

/** Runs `release` once, when the response is done or its client went away. */
function releaseWhenDone(res: Response, release: () => void): void {
  res.once('close', release);
  res.once('finish', release);
}

export function tooManyEventStreams(limit: number): HttpError {
  return new HttpError(
    HttpErrorCode.TooManyRequests,
    `Too many open event streams: at most ${limit} per session (per client address when sign-in is off). Close another window of Hyper-V Manager and try again.`,
    { limit },
  );
}

/** Caps open event streams per client: `keyOf` names the session or the client address. */
export function eventStreamLimit(
  slots: KeyedSlots,
  keyOf: (req: Request) => string,
  retryAfterSeconds = 5,
): RequestHandler {
  return (req, res, next) => {
    const release = slots.take(keyOf(req));
    if (release === null) {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      next(tooManyEventStreams(slots.limit));
      return;
    }
    releaseWhenDone(res, release);
    next();
  };
}

export function serverBusy(what: string): HttpError {
  return new HttpError(
    HttpErrorCode.ServerBusy,
    `The server is busy with other ${what}; try again in a moment.`,
  );
}

/** Runs at most `semaphore.limit` requests at once; waits in its bounded queue, else 503. */
export function concurrencyLimit(
  semaphore: BoundedSemaphore,
  what: string,
  retryAfterSeconds = 1,
): RequestHandler {
  return (_req, res, next) => {
    const place = semaphore.acquire();
    if (place === null) {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      next(serverBusy(what));
      return;
    }
    // A client that goes away while waiting gives up its place; one served releases its slot.
    releaseWhenDone(res, place.cancel);
    place.granted.then(
      (release) => {
        if (res.destroyed || res.writableEnded) {
          release();
          return;
        }
        releaseWhenDone(res, release);
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
