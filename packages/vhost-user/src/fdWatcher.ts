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
  type LibcCalls,
  type NativePointer,
} from './libc.js';

const POLLFD_BYTES = 8;

/** `struct pollfd` entries in native memory, for the descriptors (and handlers) they were made of. */
interface PollTable {
  fds: number[];
  armed: Map<number, () => void>;
  pointer: NativePointer;
  view: DataView;
}

export class FdWatcher {
  private readonly handlers = new Map<number, () => void>();
  private readonly interruptFd: number;
  private polling = false;
  /** The poll table of the last poll, and whether the watched set has changed since it was made. */
  private table: PollTable | null = null;
  private setChanged = true;
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
    this.setChanged = true;
    if (this.polling) {
      new DataView(this.eight.buffer).setBigUint64(0, 1n, true);
      writeSync(this.interruptFd, this.eight);
    } else this.arm();
  }

  private arm(): void {
    if (this.polling || this.handlers.size === 0) return;
    const calls = libcCalls();
    if (calls === null) return;
    const table = this.pollTable(calls);
    for (let index = 0; index < table.fds.length; index++)
      table.view.setInt16(index * POLLFD_BYTES + 6, 0, true);
    this.polling = true;
    calls.pollAsync(table.pointer, table.fds.length, -1, (_error, ready) => {
      this.polling = false;
      const readyFds: number[] = [];
      if (ready > 0)
        table.fds.forEach((fd, index) => {
          const revents = table.view.getInt16(index * POLLFD_BYTES + 6, true);
          if (revents & POLLNVAL) this.forgetClosed(fd, table.armed.get(fd));
          else if (revents !== 0) readyFds.push(fd);
        });
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
   * The poll table of the watched set: kept from one poll to the next while the set stays the same
   * (a guest's every request ends one poll and starts the next), made anew once it changed. Never
   * freed while a poll under way reads it: only `arm` replaces it, and only between polls.
   */
  private pollTable(calls: LibcCalls): PollTable {
    const kept = this.table;
    if (kept !== null && !this.setChanged) return kept;
    if (kept !== null) calls.free(kept.pointer);
    const armed = new Map(this.handlers);
    const fds = [this.interruptFd, ...armed.keys()];
    const pointer: NativePointer = calls.allocate(fds.length * POLLFD_BYTES);
    const view = new DataView(calls.view(pointer, fds.length * POLLFD_BYTES));
    fds.forEach((fd, index) => {
      view.setInt32(index * POLLFD_BYTES, fd, true);
      view.setInt16(index * POLLFD_BYTES + 4, POLLIN, true);
    });
    this.table = { fds, armed, pointer, view };
    this.setChanged = false;
    return this.table;
  }

  /**
   * A descriptor closed while still watched (poll(2) says POLLNVAL): it would be reported at
   * once on every poll, keeping a pool thread and the main thread busy for good, so it is no
   * longer watched. Only when the handler is still the one polled: the number may have been
   * reused and watched anew since.
   */
  private forgetClosed(fd: number, polledHandler: (() => void) | undefined): void {
    if (polledHandler !== undefined && this.handlers.get(fd) === polledHandler) {
      this.handlers.delete(fd);
      this.setChanged = true;
    }
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
