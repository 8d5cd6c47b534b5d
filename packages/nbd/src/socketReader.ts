import type { Socket } from 'node:net';

/** The peer closed the connection, or sent less than a whole message before it did. */
export class ConnectionClosed extends Error {
  constructor() {
    super('The NBD client closed the connection.');
    this.name = 'ConnectionClosed';
  }
}

/** Reads a connection's messages: exact byte counts, one read at a time. */
export interface MessageReader {
  /**
   * The next `length` bytes; rejects with ConnectionClosed if the peer goes away first. `into`,
   * when given and large enough, is a buffer the caller reuses that the bytes may be gathered in.
   */
  read(length: number, into?: Buffer): Promise<Buffer>;
}

/**
 * Reads exact byte counts from a socket. At most one read waits at a time, and the socket is paused
 * while nothing waits, so a client that sends faster than the server answers is held back by TCP
 * instead of filling memory.
 */
export class SocketReader implements MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiting: {
    length: number;
    resolve: (data: Buffer) => void;
    reject: (error: Error) => void;
  } | null = null;
  private ended = false;
  /** Where the message waited for is copied when it spans chunks (`read`'s `into`). */
  private into: Buffer | undefined;

  constructor(private readonly socket: Socket) {
    socket.pause();
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.settle();
    });
    const end = (): void => {
      this.ended = true;
      this.settle();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  /**
   * The next `length` bytes; rejects with ConnectionClosed if the peer goes away first. A message
   * that arrived in several chunks is copied into `into` when it is given and large enough (a
   * buffer the caller reuses), else into a new buffer; one inside a single chunk is a view of it.
   */
  read(length: number, into?: Buffer): Promise<Buffer> {
    if (this.waiting !== null) throw new Error('SocketReader: one read at a time');
    this.into = into !== undefined && into.length >= length ? into : undefined;
    return new Promise((resolve, reject) => {
      this.waiting = { length, resolve, reject };
      this.settle();
    });
  }

  private settle(): void {
    const waiting = this.waiting;
    if (waiting === null) {
      this.socket.pause();
      return;
    }
    if (this.buffered >= waiting.length) {
      this.waiting = null;
      const message = this.take(waiting.length);
      this.into = undefined;
      waiting.resolve(message);
      if (this.waiting === null) this.socket.pause();
      return;
    }
    if (this.ended) {
      this.waiting = null;
      waiting.reject(new ConnectionClosed());
      return;
    }
    this.socket.resume();
  }

  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= length) {
      // The usual case, a request header inside one chunk, is a view of it.
      this.chunks =
        first.length > length
          ? [first.subarray(length), ...this.chunks.slice(1)]
          : this.chunks.slice(1);
      this.buffered -= length;
      return first.subarray(0, length);
    }
    // A message split over chunks (a write's data): only its own chunks are copied, once.
    const message = this.into?.subarray(0, length) ?? Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks.shift();
      if (chunk === undefined) throw new Error('SocketReader: fewer bytes buffered than counted');
      const n = Math.min(chunk.length, length - filled);
      chunk.copy(message, filled, 0, n);
      filled += n;
      if (n < chunk.length) this.chunks.unshift(chunk.subarray(n));
    }
    this.buffered -= length;
    return message;
  }
}
