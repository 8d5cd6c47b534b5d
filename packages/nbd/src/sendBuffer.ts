/**
 * A larger send buffer for a connection: a read's reply (1 MiB for a guest's sequential reads)
 * then goes into the socket in one system call, and the client wakes once to take it, instead of
 * the kernel's default of about 208 KiB (`net.core.wmem_default`) making both processes take
 * turns five times per MiB. Node offers no `SO_SNDBUF` for stream sockets, so `setsockopt` is
 * called through `koffi` (the FFI binding `@hvm/vhdx` uses too; see the README). The kernel caps
 * the size at `net.core.wmem_max`; where the binding or the socket's descriptor cannot be had,
 * the connection keeps the default and works as before.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/** <sys/socket.h> on Linux. */
const SOL_SOCKET = 1;
const SO_SNDBUF = 7;

type SetSockOpt = (
  fd: number,
  level: number,
  name: number,
  value: number[],
  size: number,
) => number;

let setsockopt: SetSockOpt | null | undefined;

function loadSetSockOpt(): SetSockOpt | null {
  if (setsockopt !== undefined) return setsockopt;
  setsockopt = null;
  if (process.platform !== 'linux') return setsockopt;
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as {
      load: (name: string) => { func: (signature: string) => SetSockOpt };
    };
    setsockopt = koffi
      .load('libc.so.6')
      .func('int setsockopt(int fd, int level, int name, _In_ int *value, uint32_t size)');
  } catch {
    setsockopt = null;
  }
  return setsockopt;
}

/** The socket's file descriptor: Node keeps it on the socket's handle (not a public property). */
function descriptorOf(socket: Socket): number | null {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : null;
}

/** Asks for a send buffer of `bytes` on `socket`; true when the kernel took the request. */
export function enlargeSendBuffer(socket: Socket, bytes: number): boolean {
  const call = loadSetSockOpt();
  const fd = descriptorOf(socket);
  if (call === null || fd === null) return false;
  return call(fd, SOL_SOCKET, SO_SNDBUF, [bytes], 4) === 0;
}
