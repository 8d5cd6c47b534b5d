/**
 * Reads exact byte counts from a socket this process wraps around a descriptor of its own (the
 * served end of `serveNbdOnSocketPair`), with Node's `onread` option (`new net.Socket`): the kernel
 * copies each arriving byte into memory this reader chooses, read by read. A WRITE's data (1 MiB
 * after 1 MiB for a guest's sequential writes) then lands straight in the buffer it is served
 * from, where a stream socket copies it into a new 64 KiB chunk per read first (a second copy, the
 * chunks' allocation and the garbage collector's time: about a third of this process's time per
 * 1 MiB write, `--cpu-prof` under `qemu-img bench -w`).
 *
 * Node asks for the next read's buffer right after each read is handled, before the promises it
 * settled run: the read after a request's header lands in a small landing buffer (copied out), and
 * every read after that, once the caller waits for the data, lands in the caller's buffer.
 * Flow control is the stream reader's: with nothing waiting, at most `MOST_HELD_BYTES` are read
 * ahead, then the socket is paused and the client held back by the socket's own buffer.
 */
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { ConnectionClosed, type MessageReader } from './socketReader.js';

/** The buffer a read lands in when no caller's buffer waits for it (request headers, mostly). */
const LANDING_BYTES = 4096;
/** Bytes read ahead while nothing waits; past them the socket is paused. */
const MOST_HELD_BYTES = 64 * 1024;

interface Waiting {
  length: number;
  /** Where the message is gathered: the caller's buffer, or one of its own when it is large. */
  target: Buffer | undefined;
  filled: number;
  resolve: (data: Buffer) => void;
  reject: (error: Error) => void;
}

export class DirectSocketReader implements MessageReader {
  readonly socket: Socket;
  private readonly landing = Buffer.allocUnsafeSlow(LANDING_BYTES);
  /** Bytes read and not yet taken, each chunk a copy this reader owns. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private waiting: Waiting | null = null;
  /** Whether the read under way lands in the waiting message's target (else in `landing`). */
  private landsInTarget = false;
  private ended = false;

  /** Wraps the connected socket `fd` (the reader reads it; write to `socket`). */
  constructor(fd: number) {
    // `onread` is an option of `new net.Socket` in Node's documentation (net.md, "new
    // net.Socket([options])") that @types/node lists for `net.connect` only.
    const options: SocketConstructorOpts & { onread: OnReadOpts } = {
      fd,
      readable: true,
      writable: true,
      onread: {
        buffer: () => this.nextLanding(),
        callback: (bytes: number) => this.arrived(bytes),
      },
    };
    this.socket = new Socket(options);
    const end = (): void => {
      this.ended = true;
      this.settle();
    };
    this.socket.on('end', end);
    this.socket.on('close', end);
    this.socket.on('error', end);
  }

  /**
   * The next `length` bytes; rejects with ConnectionClosed if the peer goes away first. They are
   * gathered in `into` when it is given and large enough (the caller's reused buffer), else in a
   * new buffer.
   */
  read(length: number, into?: Buffer): Promise<Buffer> {
    if (this.waiting !== null) throw new Error('DirectSocketReader: one read at a time');
    const target =
      into !== undefined && into.length >= length
        ? into
        : length > LANDING_BYTES
          ? Buffer.allocUnsafe(length)
          : undefined;
    return new Promise((resolve, reject) => {
      this.waiting = { length, target, filled: 0, resolve, reject };
      this.settle();
    });
  }

  /** Node's `onread.buffer`: where the next read lands. */
  private nextLanding(): Buffer {
    const waiting = this.waiting;
    if (waiting?.target !== undefined && this.heldBytes === 0 && waiting.filled < waiting.length) {
      this.landsInTarget = true;
      return waiting.target.subarray(waiting.filled, waiting.length);
    }
    this.landsInTarget = false;
    return this.landing;
  }

  /** Node's `onread.callback`: `bytes` landed where `nextLanding` said; false pauses the socket. */
  private arrived(bytes: number): boolean {
    const waiting = this.waiting;
    if (this.landsInTarget && waiting !== null) {
      waiting.filled += bytes;
      if (waiting.filled === waiting.length)
        this.finish(waiting.target?.subarray(0, waiting.length));
    } else {
      this.held.push(Buffer.from(this.landing.subarray(0, bytes)));
      this.heldBytes += bytes;
      this.settle();
    }
    return this.waiting !== null || this.heldBytes < MOST_HELD_BYTES;
  }

  private settle(): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    if (waiting.target === undefined) {
      if (this.heldBytes >= waiting.length) {
        this.finish(this.take(waiting.length));
        return;
      }
    } else {
      const n = Math.min(this.heldBytes, waiting.length - waiting.filled);
      if (n > 0) this.copyHeld(waiting.target, waiting.filled, n);
      waiting.filled += n;
      if (waiting.filled === waiting.length) {
        this.finish(waiting.target.subarray(0, waiting.length));
        return;
      }
    }
    if (this.ended) {
      this.waiting = null;
      waiting.reject(new ConnectionClosed());
      return;
    }
    this.socket.resume();
  }

  private finish(message: Buffer | undefined): void {
    const waiting = this.waiting;
    if (waiting === null || message === undefined) return;
    this.waiting = null;
    waiting.resolve(message);
  }

  /** `length` held bytes: a view when they are inside one chunk, else gathered in a new buffer. */
  private take(length: number): Buffer {
    const first = this.held[0];
    if (first !== undefined && first.length >= length) {
      if (first.length > length) this.held[0] = first.subarray(length);
      else this.held.shift();
      this.heldBytes -= length;
      return first.subarray(0, length);
    }
    const message = Buffer.allocUnsafe(length);
    this.copyHeld(message, 0, length);
    return message;
  }

  /** Moves `length` held bytes into `into` at `offset`. */
  private copyHeld(into: Buffer, offset: number, length: number): void {
    let filled = 0;
    while (filled < length) {
      const chunk = this.held.shift();
      if (chunk === undefined) throw new Error('DirectSocketReader: fewer bytes held than counted');
      const n = Math.min(chunk.length, length - filled);
      chunk.copy(into, offset + filled, 0, n);
      filled += n;
      if (n < chunk.length) this.held.unshift(chunk.subarray(n));
    }
    this.heldBytes -= length;
  }
}
