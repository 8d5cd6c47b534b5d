/**
 * NBD over a connected pair of Unix sockets (`socketpair(2)`) that this process makes: one end is
 * served here, the other is handed to the client as an inherited descriptor (QEMU's `nbd` block
 * driver takes a SocketAddress of type `fd`). No socket file exists for anyone else to reach, and
 * this process chooses the send buffers of both ends (`SO_SNDBUF`), which on a socket QEMU makes
 * itself it cannot.
 *
 * Our end is read with `DirectSocketReader` (a WRITE's data lands straight in the buffer it is
 * served from) and gets a 4 MiB send buffer (a 1 MiB read reply enters the socket in one call). The client's send
 * buffer stays the kernel's default (about 208 KiB, `net.core.wmem_default`) unless asked
 * (`clientSendBufferBytes`): with 4 MiB on QEMU's end, QEMU wakes once per 1 MiB write instead of
 * about six times; whether that is faster depended on the host's load (the README, "Per-request
 * costs", has the figures).
 */
import { closeSync } from 'node:fs';
import {
  SOCKET_BUFFER_BYTES,
  inFlightLimitsOf,
  newCounts,
  serveConnection,
  type NbdServeOptions,
  type NbdServing,
} from './connection.js';
import { AF_UNIX, SOCK_CLOEXEC, SOCK_STREAM, SO_SNDBUF, socketCalls } from './libc.js';
import { DirectSocketReader } from './directSocketReader.js';
import { enlargeBuffersOf } from './sendBuffer.js';

export interface NbdSocketPair extends NbdServing {
  /**
   * The client's end, a descriptor of this process (closed on exec: hand it on on purpose, as
   * `spawn`'s `stdio` does).
   */
  readonly clientDescriptor: number;
  /** Closes this process's copy of the client's end, once the client holds its own; once. */
  releaseClientDescriptor(): void;
}

export interface NbdSocketPairOptions extends NbdServeOptions {
  /** The send buffer of the served end (default 4 MiB, within the in-flight bound). */
  bufferBytes?: number;
  /** The client end's send buffer (default: the kernel's, `net.core.wmem_default`). */
  clientSendBufferBytes?: number;
}

/** Whether this host can make the pair (Linux, with the C library reachable through koffi). */
export function canServeNbdOnSocketPair(): boolean {
  return socketCalls() !== null;
}

/**
 * Two connected Unix stream sockets (socketpair(2)), neither inherited by a program this process
 * runs unless handed to it on purpose (through `spawn`'s `stdio`): for a connection to a child
 * process made without a socket file (an NBD client's, a vhost-user front end's). The caller
 * closes both. Throws where `canServeNbdOnSocketPair` is false.
 */
export function connectedSocketPair(): [number, number] {
  const calls = socketCalls();
  if (calls === null) throw new Error('socketpair(2) cannot be called on this host');
  const descriptors = new Int32Array(2);
  if (calls.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, descriptors) !== 0)
    throw new Error('socketpair(2) failed');
  const [first = -1, second = -1] = descriptors;
  return [first, second];
}

/** Makes the pair and serves its first end; throws where `canServeNbdOnSocketPair` is false. */
export function serveNbdOnSocketPair(options: NbdSocketPairOptions): NbdSocketPair {
  const [ours, theirs] = connectedSocketPair();
  const bytes =
    options.bufferBytes ?? Math.min(SOCKET_BUFFER_BYTES, inFlightLimitsOf(options).bytes);
  enlargeBuffersOf(ours, bytes, [SO_SNDBUF]);
  if (options.clientSendBufferBytes !== undefined)
    enlargeBuffersOf(theirs, options.clientSendBufferBytes, [SO_SNDBUF]);
  // Each WRITE's data is read straight into the buffer it is served from (directSocketReader.ts).
  const reader = new DirectSocketReader(ours);
  const socket = reader.socket;
  socket.on('error', () => undefined);
  const counts = newCounts();
  counts.connections = 1;
  const served = serveConnection(socket, options, counts, reader);
  let theirsOpen = true;
  const releaseClientDescriptor = (): void => {
    if (!theirsOpen) return;
    theirsOpen = false;
    closeSync(theirs);
  };
  return {
    clientDescriptor: theirs,
    counts,
    releaseClientDescriptor,
    close: async () => {
      releaseClientDescriptor();
      socket.destroy();
      await served;
    },
  };
}
