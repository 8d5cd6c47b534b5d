/**
 * The few socket calls Node does not offer, from the C library through `koffi` (the maintained FFI
 * binding with prebuilt binaries that `@hvm/vhdx` uses too; see the README): `setsockopt` for a
 * stream socket's buffer sizes and `socketpair` for a connection made inside this process. Loaded
 * once, on Linux only; null where the binding cannot be had.
 */
import { createRequire } from 'node:module';

/** <sys/socket.h> on Linux. */
export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
/** Not inherited by a program this process runs, unless handed to it on purpose (<fcntl.h>). */
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;

export interface SocketCalls {
  setsockopt(fd: number, level: number, name: number, value: number[], size: number): number;
  socketpair(domain: number, type: number, protocol: number, descriptors: Int32Array): number;
}

let calls: SocketCalls | null | undefined;

export function socketCalls(): SocketCalls | null {
  if (calls !== undefined) return calls;
  calls = null;
  if (process.platform !== 'linux') return calls;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as {
      load: (name: string) => { func: (signature: string) => (...args: unknown[]) => number };
    };
    const libc = koffi.load('libc.so.6');
    const setsockopt = libc.func(
      'int setsockopt(int fd, int level, int name, _In_ int *value, uint32_t size)',
    );
    const socketpair = libc.func(
      'int socketpair(int domain, int type, int protocol, _Out_ int32_t *sv)',
    );
    calls = {
      setsockopt: (fd, level, name, value, size) => setsockopt(fd, level, name, value, size),
      socketpair: (domain, type, protocol, descriptors) =>
        socketpair(domain, type, protocol, descriptors),
    };
  } catch {
    calls = null;
  }
  return calls;
}
