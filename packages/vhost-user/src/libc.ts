/**
 * The C library calls Node does not offer, through `koffi` (the FFI binding the repository already
 * uses, see packages/nbd/src/libc.ts, whose `connectedSocketPair` makes the socket pair):
 * `recvmsg` with SCM_RIGHTS descriptors, `mmap`/`munmap` of the guest's memory, `eventfd`, and
 * `poll` run on the libuv thread pool.
 * Loaded once, on Linux x86-64/arm64 only; null where the binding cannot be had.
 */
import { createRequire } from 'node:module';

/** <sys/socket.h>, <sys/mman.h>, <sys/eventfd.h>, <poll.h> on Linux. */
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const MSG_DONTWAIT = 0x40;
export const MSG_CTRUNC = 0x8;
export const MSG_CMSG_CLOEXEC = 0x40000000;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const POLLIN = 0x1;
export const POLLNVAL = 0x20;
export const EAGAIN = 11;
export const EINTR = 4;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const O_NONBLOCK = 0o4000;

/** An opaque pointer of koffi's. */
export type NativePointer = object;

export interface LibcCalls {
  recvmsg(fd: number, message: NativePointer, flags: number): number;
  mmap(length: number, prot: number, flags: number, fd: number, offset: number): NativePointer;
  munmap(address: NativePointer, length: number): number;
  eventfd(initial: number, flags: number): number;
  pollAsync(
    fds: NativePointer,
    count: number,
    timeout: number,
    done: (error: unknown, ready: number) => void,
  ): void;
  /** Sets O_NONBLOCK on `fd` (fcntl(2) F_SETFL); returns -1 on failure. */
  setNonBlocking(fd: number): number;
  errno(): number;
  /** Native memory that outlives any call: for msghdr, the control buffer and pollfd arrays. */
  allocate(bytes: number): NativePointer;
  free(pointer: NativePointer): void;
  /** The address of a pointer, as `mmap`'s MAP_FAILED check and msghdr's fields need. */
  address(pointer: NativePointer): bigint;
  /** An ArrayBuffer over foreign memory, without copy. */
  view(pointer: NativePointer, bytes: number): ArrayBuffer;
}

interface Koffi {
  load(name: string): {
    func(signature: string): ((...args: unknown[]) => unknown) & {
      async: (...args: unknown[]) => void;
    };
  };
  alloc(type: string, length: number): NativePointer;
  free(pointer: NativePointer): void;
  address(pointer: NativePointer): bigint;
  view(pointer: NativePointer, length: number): ArrayBuffer;
  errno(): number;
}

let calls: LibcCalls | null | undefined;

export function libcCalls(): LibcCalls | null {
  if (calls !== undefined) return calls;
  calls = null;
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64'))
    return calls;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as Koffi;
    const libc = koffi.load('libc.so.6');
    const recvmsg = libc.func('intptr_t recvmsg(int fd, void *msg, int flags)');
    const mmap = libc.func(
      'void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)',
    );
    const munmap = libc.func('int munmap(void *addr, size_t length)');
    const eventfd = libc.func('int eventfd(unsigned int initval, int flags)');
    const poll = libc.func('int poll(void *fds, uint64_t nfds, int timeout)');
    const fcntl = libc.func('int fcntl(int fd, int cmd, ...)');
    calls = {
      recvmsg: (fd, message, flags) => Number(recvmsg(fd, message, flags)),
      mmap: (length, prot, flags, fd, offset) =>
        mmap(null, length, prot, flags, fd, offset) as NativePointer,
      munmap: (address, length) => munmap(address, length) as number,
      eventfd: (initial, flags) => eventfd(initial, flags) as number,
      pollAsync: (fds, count, timeout, done) => poll.async(fds, count, timeout, done),
      setNonBlocking: (fd) => {
        const flags = fcntl(fd, F_GETFL) as number;
        return flags < 0 ? flags : (fcntl(fd, F_SETFL, 'int', flags | O_NONBLOCK) as number);
      },
      errno: () => koffi.errno(),
      allocate: (bytes) => koffi.alloc('uint8_t', bytes),
      free: (pointer) => koffi.free(pointer),
      address: (pointer) => koffi.address(pointer),
      view: (pointer, bytes) => koffi.view(pointer, bytes),
    };
  } catch {
    calls = null;
  }
  return calls;
}
