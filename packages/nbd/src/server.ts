/**
 * An NBD server on a Unix socket: each connection negotiates an export, then is served with several
 * requests under way at once (`connection.ts`). Connections are bounded.
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import {
  SOCKET_BUFFER_BYTES,
  inFlightLimitsOf,
  newCounts,
  serveConnection,
  type NbdServeOptions,
  type NbdServing,
} from './connection.js';
import { enlargeSendBuffer } from './sendBuffer.js';

export interface NbdServerOptions extends NbdServeOptions {
  /** The Unix socket's path; an existing socket file there is replaced. */
  socketPath: string;
  /** The most connections served at once; more are closed at once (default 8). */
  maxConnections?: number;
}

export interface NbdServer extends NbdServing {
  readonly socketPath: string;
  /**
   * Stops listening, ends every connection and removes the socket file; resolves once the requests
   * under way are served (the export is no longer called).
   */
  close(): Promise<void>;
}

export async function startNbdServer(options: NbdServerOptions): Promise<NbdServer> {
  const counts = newCounts();
  const sockets = new Set<Socket>();
  const maxConnections = options.maxConnections ?? 8;
  const limits = inFlightLimitsOf(options);
  const serving = new Set<Promise<void>>();
  const server: Server = createServer((socket) => {
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    counts.connections += 1;
    // Room for a few of the largest replies a guest asks for (1 MiB), within the in-flight bound.
    enlargeSendBuffer(socket, Math.min(SOCKET_BUFFER_BYTES, limits.bytes));
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    const served = serveConnection(socket, options, counts);
    serving.add(served);
    void served.then(() => serving.delete(served));
  });
  await rm(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Only this user may connect: the socket gives full access to the disk.
  await chmod(options.socketPath, 0o600);
  return {
    socketPath: options.socketPath,
    counts,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, ...serving]);
      await rm(options.socketPath, { force: true });
    },
  };
}
