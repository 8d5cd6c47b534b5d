/**
 * One NBD connection, from the handshake to its end: the export is negotiated, then requests are
 * served with several under way at once (bounded, see `InFlightRequests`). A client that breaks
 * the protocol is disconnected; an export's failure reaches the client as an NBD error value (the
 * session goes on).
 */
import type { Socket } from 'node:net';
import type { ExportLookup } from './blockExport.js';
import { negotiate } from './handshake.js';
import { DEFAULT_IN_FLIGHT_LIMITS, type InFlightLimits } from './inFlight.js';
import { SocketReader, type MessageReader } from './socketReader.js';
import { transmit, type TransmissionCounts } from './transmission.js';

export interface NbdServeOptions {
  exports: ExportLookup;
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

/** What is served over NBD: its counts so far, and its end. */
export interface NbdServing {
  /** What the connections did so far. */
  readonly counts: TransmissionCounts & { connections: number };
  /** Ends every connection; resolves once the requests under way are served. */
  close(): Promise<void>;
}

export const newCounts = (): NbdServing['counts'] => ({
  connections: 0,
  reads: 0,
  writes: 0,
  flushes: 0,
  trims: 0,
  refused: 0,
});

/**
 * Serves `socket` until the client leaves or breaks the protocol; the socket is then ended. Its
 * messages are read by `reader` (default: a stream reader of `socket`).
 */
export async function serveConnection(
  socket: Socket,
  options: NbdServeOptions,
  counts: TransmissionCounts,
  reader: MessageReader = new SocketReader(socket),
): Promise<void> {
  try {
    const negotiated = await negotiate(socket, reader, options.exports);
    if (negotiated === null) return;
    await transmit(
      socket,
      reader,
      negotiated.chosen,
      counts,
      (error) => options.onExportError?.(error),
      inFlightLimitsOf(options),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ProtocolViolation')
      options.onProtocolViolation?.(error);
  } finally {
    socket.end();
    socket.destroySoon();
  }
}

export const inFlightLimitsOf = (options: NbdServeOptions): InFlightLimits =>
  options.inFlightLimits ?? DEFAULT_IN_FLIGHT_LIMITS;

/** The socket buffers each connection asks for (`sendBuffer.ts`). */
export const SOCKET_BUFFER_BYTES = 4 * 2 ** 20;
