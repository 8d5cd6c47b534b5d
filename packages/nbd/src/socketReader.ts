import type { Socket } from 'node:net';

/** The peer closed the connection, or sent less than a whole message before it did. */
export class ConnectionClosed extends Error {
  constructor() {
    super('The NBD client closed the connection.');
    this.name = 'ConnectionClosed';
  }
}

/**
 * Reads exact byte counts from a socket. At most one read waits at a time, and the socket is paused
 * while nothing waits, so a client that sends faster than the server answers is held back by TCP
 * instead of filling memory.
 */
export class SocketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiting: {
    length: number;
    resolve: (data: Buffer) => void;
    reject: (error: Error) => void;
  } | null = null;
  private ended = false;

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

  /** The next `length` bytes; rejects with ConnectionClosed if the peer goes away first. */
  read(length: number): Promise<Buffer> {
    if (this.waiting !== null) throw new Error('SocketReader: one read at a time');
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
      waiting.resolve(this.take(waiting.length));
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
    // The usual case, a request header inside one chunk, is a view; only a split message is copied.
    const all = first !== undefined && first.length >= length ? first : Buffer.concat(this.chunks);
    const rest = all.subarray(length);
    const restChunks = all === first ? this.chunks.slice(1) : [];
    this.chunks = rest.length > 0 ? [rest, ...restChunks] : restChunks;
    this.buffered -= length;
    return all.subarray(0, length);
  }
}
