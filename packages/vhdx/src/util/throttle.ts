/**
 * Limits a stream of work to `bytesPerSecond` (0: no limit) on the wall clock: `spend(n)` after
 * n bytes waits until they are due; an abort ends the wait at once.
 */
export class Throttle {
  private readonly startedAt = performance.now();
  private spent = 0;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async spend(bytes: number): Promise<void> {
    if (this.bytesPerSecond <= 0) return;
    this.spent += bytes;
    const due = this.startedAt + (this.spent / this.bytesPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait <= 1 || this.signal?.aborted === true) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.signal?.addEventListener('abort', done, { once: true });
    });
  }
}
