/**
 * The buffers a connection reads WRITE data into and has READ data read into (`readInto`), kept
 * for the next requests once the export is done with them, or the reply is sent: a guest's sequential writes send 1 MiB after 1 MiB, and a fresh buffer for each costs
 * the memory's first touch (page faults) and the garbage collector's time, more than the copy
 * itself. Only payloads up to `BUFFER_BYTES` are pooled, at most `keep` buffers per connection
 * (the in-flight limit bounds how many are out at once); a larger one gets a buffer of its own.
 */

/** The size of a pooled buffer: the largest request of a guest's sequential I/O. */
export const BUFFER_BYTES = 2 ** 20;

export class PayloadBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep: number) {}

  /** A buffer for `length` bytes of payload from the pool, or undefined when it is too large. */
  take(length: number): Buffer | undefined {
    if (length > BUFFER_BYTES) return undefined;
    return this.free.pop() ?? Buffer.allocUnsafeSlow(BUFFER_BYTES);
  }

  /** Gives back a buffer from `take` once nothing uses its bytes any more. */
  give(buffer: Buffer): void {
    if (buffer.length === BUFFER_BYTES && this.free.length < this.keep) this.free.push(buffer);
  }
}
