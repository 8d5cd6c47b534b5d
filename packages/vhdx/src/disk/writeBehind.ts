import type { FileHandle } from '../storage/fileStore.js';

interface Pending {
  start: number;
  end: number;
  done: Promise<void>;
}

/**
 * Payload writes that complete in the background, like a write-back cache: a small write is copied
 * and handed to the file, and the caller goes on while it lands. At most `depth` writes are in
 * flight; a read or write of an overlapping range waits for them first, so the disk always reads
 * what was last written. `drain` (before every commit or flush) waits for all of them and reports
 * the first failure; a failure also makes every later write fail, as an fsync error would.
 */
export class WriteBehind {
  private pending: Pending[] = [];
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly depth = 32,
    /** Larger writes are awaited: copying them would cost more than waiting. */
    private readonly maxBytes = 64 * 1024,
  ) {}

  private check(): void {
    if (this.failure !== null) throw this.failure.error;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    this.check();
    const end = position + data.length;
    if (this.pending.length > 0) await this.settle(position, end);
    if (data.length > this.maxBytes) {
      await this.handle.write(data, position);
      return;
    }
    while (this.pending.length >= this.depth) await this.pending[0]?.done;
    this.check();
    const entry: Pending = { start: position, end, done: Promise.resolve() };
    entry.done = this.handle.write(data.slice(), position).then(
      () => this.remove(entry),
      (error: unknown) => {
        this.failure ??= { error };
        this.remove(entry);
      },
    );
    this.pending.push(entry);
  }

  private remove(entry: Pending): void {
    const i = this.pending.indexOf(entry);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** Waits for the writes in flight that overlap `[start, end)`. */
  async settle(start: number, end: number): Promise<void> {
    for (;;) {
      const overlapping = this.pending.find((p) => p.start < end && start < p.end);
      if (overlapping === undefined) return;
      await overlapping.done;
    }
  }

  /** Waits for every write in flight; throws the first failure. */
  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.pending[0]?.done;
    this.check();
  }

  get idle(): boolean {
    return this.pending.length === 0;
  }
}
