/**
 * An NBD server on a Unix socket: each connection negotiates an export, then is served with several
 * requests under way at once (bounded per connection, see `InFlightRequests`). Connections are
 * bounded; a client that breaks the protocol is disconnected, and an export's failure reaches the
 * client as an NBD error value (the session goes on).
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { ExportLookup } from './blockExport.js';
import { negotiate } from './handshake.js';
import { DEFAULT_IN_FLIGHT_LIMITS, type InFlightLimits } from './inFlight.js';
import { enlargeSendBuffer } from './sendBuffer.js';
import { SocketReader } from './socketReader.js';
import { transmit, type TransmissionCounts } from './transmission.js';

export interface NbdServerOptions {
  /** The Unix socket's path; an existing socket file there is replaced. */
  socketPath: string;
  exports: ExportLookup;
  /** The most connections served at once; more are closed at once (default 8). */
  maxConnections?: number;
  /**
   * The most requests, and payload bytes, one connection has under way (default 16 requests,
   * 64 MiB): past them the server reads no more of that connection until some are answered.
   */
  inFlightLimits?: InFlightLimits;
  /** Called with a failure of the export (the client receives an NBD error value). */
  onExportError?: (error: unknown) => void;
  /** Called when a client breaks the protocol and is disconnected. */
  onProtocolViolation?: (error: Error) => void;
}

export interface NbdServer {
  readonly socketPath: string;
  /** What the server's connections did so far. */
  readonly counts: TransmissionCounts & { connections: number };
  /**
   * Stops listening, ends every connection and removes the socket file; resolves once the requests
   * under way are served (the export is no longer called).
   */
  close(): Promise<void>;
}

/** The send buffer each connection asks for (`sendBuffer.ts`). */
const SEND_BUFFER_BYTES = 4 * 2 ** 20;

export async function startNbdServer(options: NbdServerOptions): Promise<NbdServer> {
  const counts = { connections: 0, reads: 0, writes: 0, flushes: 0, trims: 0, refused: 0 };
  const sockets = new Set<Socket>();
  const maxConnections = options.maxConnections ?? 8;
  const limits = options.inFlightLimits ?? DEFAULT_IN_FLIGHT_LIMITS;
  const serving = new Set<Promise<void>>();
  const serve = async (socket: Socket): Promise<void> => {
    const reader = new SocketReader(socket);
    try {
      const negotiated = await negotiate(socket, reader, options.exports);
      if (negotiated === null) return;
      await transmit(
        socket,
        reader,
        negotiated.chosen,
        counts,
        (error) => options.onExportError?.(error),
        limits,
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ProtocolViolation')
        options.onProtocolViolation?.(error);
    } finally {
      socket.end();
      socket.destroySoon();
    }
  };
  const server: Server = createServer((socket) => {
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    counts.connections += 1;
    // Room for a few of the largest replies a guest asks for (1 MiB), within the in-flight bound.
    enlargeSendBuffer(socket, Math.min(SEND_BUFFER_BYTES, limits.bytes));
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    const served = serve(socket);
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
