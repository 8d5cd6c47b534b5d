import { randomUUID } from 'node:crypto';

/** The engine's only source of time: tests drive it with a fake clock. */
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Source of new GUIDs, written in lower case. */
export interface IdSource {
  newGuid(): string;
}

/** How long each transitional state lasts, in milliseconds. Tests use zero. */
export interface Timing {
  /** Off/Saved → Starting → Running. */
  start: number;
  /** Running → Saving → Saved. */
  save: number;
  /** Running → Stopping → Off (Shut Down). */
  shutDown: number;
  /** Running → Pausing → Paused. */
  pause: number;
  /** Paused → Resuming → Running. */
  resume: number;
  /** Reset (reboot). */
  reset: number;
  /** How long "Creating checkpoint (n%)" shows. */
  checkpoint: number;
  /** How long "Applying checkpoint (n%)" shows. */
  apply: number;
}

export const defaultTiming: Timing = {
  start: 600,
  save: 400,
  shutDown: 300,
  pause: 300,
  resume: 300,
  reset: 300,
  checkpoint: 300,
  apply: 300,
};

export const zeroTiming: Timing = {
  start: 0,
  save: 0,
  shutDown: 0,
  pause: 0,
  resume: 0,
  reset: 0,
  checkpoint: 0,
  apply: 0,
};

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export const randomIds: IdSource = { newGuid: () => randomUUID().toLowerCase() };

/** Waits `ms` on the clock; zero resolves at once (on the next microtask). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** The host's log port: a failure's detail, for the administrator's log, never for users. */
export type HostErrorLog = (message: string, error: unknown) => void;
