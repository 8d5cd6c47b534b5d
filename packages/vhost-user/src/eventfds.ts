/**
 * Checks that a descriptor the front end hands over for a ring's kick or call, or for the dirty
 * log's signal (SET_VRING_KICK, SET_VRING_CALL, SET_LOG_FD), is what QEMU sends: an eventfd
 * opened non-blocking (QEMU's event_notifier_init, util/event_notifier-posix.c, passes
 * EFD_NONBLOCK). This process reads and writes them on its main thread: a blocking pipe as a call
 * descriptor would block every VM and the web console once its buffer is full, and a pipe whose
 * writer is gone as a kick descriptor would poll readable forever. Linux names an eventfd
 * `anon_inode:[eventfd]` in /proc/self/fd and gives the open flags in /proc/self/fdinfo
 * (proc(5)).
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** O_NONBLOCK of <fcntl.h> on Linux, as /proc/self/fdinfo's octal `flags:` shows it. */
const O_NONBLOCK = 0o4000;

/** Throws, saying why, unless `fd` is a non-blocking eventfd. */
export function requireNonBlockingEventfd(fd: number): void {
  let target: string;
  let flags: number;
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
    const line = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    flags = line?.[1] === undefined ? 0 : parseInt(line[1], 8);
  } catch (error) {
    throw new Error(`descriptor ${fd} cannot be inspected: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (target !== 'anon_inode:[eventfd]')
    throw new Error(`descriptor ${fd} is ${target}, not an eventfd`);
  if ((flags & O_NONBLOCK) === 0) throw new Error(`eventfd ${fd} is not non-blocking`);
}
