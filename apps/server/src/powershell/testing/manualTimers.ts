/** Timers a test fires itself (runs.ts `Timers`), so that no test waits on the real clock. */
import type { Timers } from '../timers.js';

export class ManualTimers implements Timers {
  private nextId = 1;
  private readonly pending = new Map<number, { fn: () => void; ms: number }>();

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.set(id, { fn, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** How many timers of this duration are pending. */
  count(ms: number): number {
    return [...this.pending.values()].filter((t) => t.ms === ms).length;
  }

  /** Fires every pending timer of this duration; returns how many fired. */
  fire(ms: number): number {
    const due = [...this.pending.entries()].filter(([, t]) => t.ms === ms);
    for (const [id, timer] of due) {
      this.pending.delete(id);
      timer.fn();
    }
    return due.length;
  }
}
