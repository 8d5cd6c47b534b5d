/**
 * One process-wide watcher of descriptors Node's event loop cannot watch (eventfds, and a socket
 * whose SCM_RIGHTS descriptors `net.Socket` would drop): a `poll(2)` over every watched descriptor
 * plus an internal eventfd, run through koffi's `.async` on the libuv thread pool. Its callback
 * (on the main thread) calls the handler of each ready descriptor and polls again. Changing the
 * set writes the internal eventfd, so the poll under way returns and the next one sees the new
 * set. With nothing watched no poll is under way, so the process may exit.
 *
 * The cost: a wake-up travels thread pool → libuv async handle → main thread; one thread of the
 * pool (4 by default, UV_THREADPOOL_SIZE) sits in `poll` while anything is watched.
 *
 * Handlers must tolerate a call with nothing to read (a descriptor closed while a poll was under
 * way may have its number reused by the time the poll returns): read non-blocking.
 */
import { readSync, writeSync } from 'node:fs';
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  POLLIN,
  POLLNVAL,
  libcCalls,
  type NativePointer,
} from './libc.js';

const POLLFD_BYTES = 8;

export class FdWatcher {
  private readonly handlers = new Map<number, () => void>();
  private readonly interruptFd: number;
  private polling = false;
  private readonly eight = new Uint8Array(8);

  constructor() {
    const calls = libcCalls();
    if (calls === null) throw new Error('poll(2) and eventfd(2) cannot be called on this host');
    this.interruptFd = calls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (this.interruptFd < 0) throw new Error(`eventfd(2) failed: errno ${calls.errno()}`);
  }

  /** Calls `onReady` on the main thread whenever `fd` is readable (or hung up); returns unwatch. */
  watch(fd: number, onReady: () => void): () => void {
    this.handlers.set(fd, onReady);
    this.changed();
    return () => {
      if (this.handlers.get(fd) !== onReady) return;
      this.handlers.delete(fd);
      this.changed();
    };
  }

  private changed(): void {
    if (this.polling) {
      new DataView(this.eight.buffer).setBigUint64(0, 1n, true);
      writeSync(this.interruptFd, this.eight);
    } else this.arm();
  }

  private arm(): void {
    if (this.polling || this.handlers.size === 0) return;
    const calls = libcCalls();
    if (calls === null) return;
    const armed = new Map(this.handlers);
    const fds = [this.interruptFd, ...armed.keys()];
    const pointer: NativePointer = calls.allocate(fds.length * POLLFD_BYTES);
    const table = new DataView(calls.view(pointer, fds.length * POLLFD_BYTES));
    fds.forEach((fd, index) => {
      table.setInt32(index * POLLFD_BYTES, fd, true);
      table.setInt16(index * POLLFD_BYTES + 4, POLLIN, true);
      table.setInt16(index * POLLFD_BYTES + 6, 0, true);
    });
    this.polling = true;
    calls.pollAsync(pointer, fds.length, -1, (_error, ready) => {
      this.polling = false;
      const readyFds: number[] = [];
      if (ready > 0)
        fds.forEach((fd, index) => {
          const revents = table.getInt16(index * POLLFD_BYTES + 6, true);
          if (revents & POLLNVAL) this.forgetClosed(fd, armed.get(fd));
          else if (revents !== 0) readyFds.push(fd);
        });
      calls.free(pointer);
      for (const fd of readyFds) {
        if (fd === this.interruptFd) this.drainInterrupt();
        else {
          const handler = this.handlers.get(fd);
          try {
            handler?.();
          } catch {
            // A handler reports its own failures; one must not stop the others.
          }
        }
      }
      this.arm();
    });
  }

  /**
   * A descriptor closed while still watched (poll(2) says POLLNVAL): it would be reported at
   * once on every poll, keeping a pool thread and the main thread busy for good, so it is no
   * longer watched. Only when the handler is still the one polled: the number may have been
   * reused and watched anew since.
   */
  private forgetClosed(fd: number, polledHandler: (() => void) | undefined): void {
    if (polledHandler !== undefined && this.handlers.get(fd) === polledHandler)
      this.handlers.delete(fd);
  }

  private drainInterrupt(): void {
    try {
      readSync(this.interruptFd, this.eight);
    } catch {
      // EAGAIN: already drained.
    }
  }
}

let watcher: FdWatcher | undefined;

/** The process's one watcher, made on first use. */
export function fdWatcher(): FdWatcher {
  watcher ??= new FdWatcher();
  return watcher;
}
