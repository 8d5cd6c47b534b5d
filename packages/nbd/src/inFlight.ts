/**
 * The requests of one connection being served at once (proto.md, "Ordering of messages and
 * writes": "The server MAY process commands out of order, and MAY reply out of order"). Two rules
 * keep that safe and bounded:
 * - a request that overlaps an earlier one still under way, where either changes the export (a
 *   WRITE or TRIM), waits for it: overlapping writes land in the order they were sent, and a read
 *   sees the writes sent before it;
 * - at most `requests` requests and `bytes` bytes of payload (write data read, read data not yet
 *   handed to the socket) per connection; past either the server stops reading the socket, so a
 *   client that sends faster than it reads replies is held back by the socket's own buffers
 *   instead of filling this process's memory. A single request is admitted when nothing else is
 *   in flight, whatever its size (it is within the protocol's maximum payload already).
 */

export interface InFlightLimits {
  /** The most requests under way or with a reply not yet handed to the socket. */
  requests: number;
  /** The most payload bytes held: write data read, read data not yet handed to the socket. */
  bytes: number;
}

/**
 * QEMU's NBD client keeps up to 16 requests in flight per connection (`MAX_NBD_REQUESTS` in
 * QEMU's block/nbd.c); twice its 32 MiB maximum payload leaves room for two of the largest.
 */
export const DEFAULT_IN_FLIGHT_LIMITS: InFlightLimits = { requests: 16, bytes: 2 * 2 ** 25 };

/** One request admitted: the range it touches (empty for FLUSH and refusals). */
export interface InFlightRequest {
  readonly start: number;
  readonly end: number;
  readonly changes: boolean;
  readonly bytes: number;
  /** Resolves once the export is done with it (the reply may still be on its way). */
  readonly served: Promise<void>;
  markServed(): void;
}

export class InFlightRequests {
  private readonly requests = new Set<InFlightRequest>();
  private heldBytes = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly limits: InFlightLimits) {
    if (!(limits.requests >= 1) || !(limits.bytes >= 1))
      throw new Error('the in-flight limits must allow one request at least');
  }

  get count(): number {
    return this.requests.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** Resolves once one more request may be read. One caller at a time (the connection's reader). */
  async roomForRequest(): Promise<void> {
    while (this.requests.size >= this.limits.requests) await this.changed();
  }

  /** Resolves once `bytes` more may be held (at once when nothing is held). */
  async roomForBytes(bytes: number): Promise<void> {
    while (this.heldBytes > 0 && this.heldBytes + bytes > this.limits.bytes) await this.changed();
  }

  /**
   * Admits a request over `[start, end)`; resolves, with the earlier requests it must wait for
   * (overlapping, and either one changes the export), already served.
   */
  admit(
    start: number,
    end: number,
    changes: boolean,
    bytes: number,
  ): { request: InFlightRequest; after: Promise<unknown> } {
    const earlier = [...this.requests].filter(
      (r) => r.start < end && start < r.end && (changes || r.changes),
    );
    let markServed = (): void => undefined;
    const served = new Promise<void>((resolve) => {
      markServed = resolve;
    });
    const request: InFlightRequest = { start, end, changes, bytes, served, markServed };
    this.requests.add(request);
    this.heldBytes += bytes;
    const after =
      earlier.length === 0 ? Promise.resolve() : Promise.all(earlier.map((r) => r.served));
    return { request, after };
  }

  /** The request's reply was handed to the socket (or the socket is gone): its room is free. */
  release(request: InFlightRequest): void {
    if (!this.requests.delete(request)) return;
    request.markServed();
    this.heldBytes -= request.bytes;
    this.notify();
  }

  /** Resolves once no request is in flight. */
  async drained(): Promise<void> {
    while (this.requests.size > 0) await this.changed();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
