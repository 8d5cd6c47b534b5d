/**
 * The time a run waits on (Start-Sleep, Wait-Job, Wait-VM): real timers by default; tests give a
 * clock they move themselves, so no test ever waits for real time.
 */
export interface RunClock {
  /** Milliseconds since an arbitrary start. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

export const realClock: RunClock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    }),
};

/**
 * A clock for tests: every `sleep` moves time on by its own length at once and lets other promises
 * settle (the host's operations go on), so a script that sleeps 10 minutes finishes at once, in the
 * same order of events as with real time.
 */
export class SteppingClock implements RunClock {
  private current = 0;
  /** Every sleep, in milliseconds, in order. */
  readonly sleeps: number[] = [];
  /** Told each sleep before it returns (a test moves the host on here). */
  constructor(private readonly onSleep: (ms: number) => Promise<void> | void = () => undefined) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
    await this.onSleep(ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
