/**
 * A larger send buffer for a connection: a read's reply (1 MiB for a guest's sequential reads)
 * then goes into the socket in one system call, and the client wakes once to take it, instead of
 * the kernel's default of about 208 KiB (`net.core.wmem_default`) making both processes take
 * turns five times per MiB. Node offers no `SO_SNDBUF` for stream sockets, so `setsockopt` is
 * called through `koffi` (`libc.ts`). The kernel caps the size at `net.core.wmem_max`; where the
 * binding or the socket's descriptor cannot be had, the connection keeps the default and works as
 * before.
 */
import type { Socket } from 'node:net';
import { SOL_SOCKET, SO_SNDBUF, socketCalls } from './libc.js';

/** The socket's file descriptor: Node keeps it on the socket's handle (not a public property). */
function descriptorOf(socket: Socket): number | null {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : null;
}

/** Asks for a send buffer of `bytes` on `socket`; true when the kernel took the request. */
export function enlargeSendBuffer(socket: Socket, bytes: number): boolean {
  const fd = descriptorOf(socket);
  return fd !== null && enlargeBuffersOf(fd, bytes, [SO_SNDBUF]);
}

/** Asks for buffers (`SO_SNDBUF`, `SO_RCVBUF`) of `bytes` on the socket `fd`; true when the kernel took every request. */
export function enlargeBuffersOf(fd: number, bytes: number, which: readonly number[]): boolean {
  const calls = socketCalls();
  if (calls === null) return false;
  return which.every((name) => calls.setsockopt(fd, SOL_SOCKET, name, [bytes], 4) === 0);
}
