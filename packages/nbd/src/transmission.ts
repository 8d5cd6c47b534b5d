/**
 * The transmission phase with simple replies (proto.md, "Transmission", "Request types"). Several
 * requests of a connection are served at once and each is answered when it is done, in whatever
 * order that is ("The server MAY process commands out of order, and MAY reply out of order",
 * proto.md, "Ordering of messages and writes"); `InFlightRequests` keeps overlapping writes in
 * order and bounds what one connection holds. A FLUSH goes to the export when it arrives, so it
 * covers every write already replied to (the protocol's rule), and writes still under way are
 * not waited for. NBD_CMD_DISC, a broken protocol or a closed socket stop the reading; the
 * requests under way are still served before `transmit` returns ("The server MUST handle all
 * outstanding requests", proto.md, NBD_CMD_DISC).
 *
 * A request beyond the export's end, an unknown command or flag is answered NBD_EINVAL and the
 * session goes on; a WRITE longer than the maximum payload ends the session, since its data could
 * only be skipped by reading it all.
 */
import type { Socket } from 'node:net';
import { BlockExportError, type BlockExport } from './blockExport.js';
import { ProtocolViolation } from './handshake.js';
import { InFlightRequests, type InFlightLimits, type InFlightRequest } from './inFlight.js';
import { PayloadBuffers } from './payloadBuffers.js';
import {
  BLOCK_SIZE,
  Command,
  CommandFlag,
  NbdError,
  REQUEST_MAGIC,
  SIMPLE_REPLY_MAGIC,
} from './protocol.js';
import type { MessageReader } from './socketReader.js';

interface Request {
  flags: number;
  type: number;
  cookie: bigint;
  offset: bigint;
  length: number;
}

function parseRequest(header: Buffer): Request {
  if (header.readUInt32BE(0) !== REQUEST_MAGIC) throw new ProtocolViolation('bad request magic');
  return {
    flags: header.readUInt16BE(4),
    type: header.readUInt16BE(6),
    cookie: header.readBigUInt64BE(8),
    offset: header.readBigUInt64BE(16),
    length: header.readUInt32BE(24),
  };
}

/**
 * Sends a simple reply (header, then a read's data, as one unit of the stream); `sent` runs once
 * the socket has taken it, or failed to because it is gone.
 */
function reply(
  socket: Socket,
  cookie: bigint,
  error: number,
  data: Uint8Array | undefined,
  sent: () => void,
): void {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(SIMPLE_REPLY_MAGIC, 0);
  header.writeUInt32BE(error, 4);
  header.writeBigUInt64BE(cookie, 8);
  if (socket.destroyed) {
    sent();
    return;
  }
  socket.cork();
  if (data === undefined || data.length === 0) socket.write(header, () => sent());
  else {
    socket.write(header);
    socket.write(data, () => sent());
  }
  socket.uncork();
}

/** NBD error value for a failure of the export: its own choice, else EIO. */
function errorValueOf(error: unknown): number {
  if (error instanceof BlockExportError) return NbdError[error.nbdError];
  return NbdError.EIO;
}

/** Counts of what a connection did, for tests and the log. */
export interface TransmissionCounts {
  reads: number;
  writes: number;
  flushes: number;
  trims: number;
  refused: number;
}

/** What one request asks of the export, once it is known to be valid. */
type Work = () => Promise<Uint8Array | undefined>;

/** A buffer of the connection's pool a request holds until its reply is sent. */
interface Lent {
  buffer: Buffer | undefined;
}

/** The checks of proto.md's request types: the work to do, or the error value to refuse with. */
function workOf(
  request: Request,
  data: Buffer | undefined,
  chosen: BlockExport,
  counts: TransmissionCounts,
  buffers: PayloadBuffers,
  lent: Lent,
): Work | number {
  const { type, length } = request;
  // "The server SHOULD return NBD_EINVAL if it receives an unknown command" (proto.md); likewise
  // an unknown flag.
  if ((request.flags & ~CommandFlag.FUA) !== 0) return NbdError.EINVAL;
  const inRange = request.offset + BigInt(length) <= BigInt(chosen.sizeBytes);
  const offset = Number(request.offset);
  const fua = (request.flags & CommandFlag.FUA) !== 0;
  switch (type) {
    case Command.READ:
      if (!inRange) return NbdError.EINVAL;
      if (length > BLOCK_SIZE.maximumPayload) return NbdError.EOVERFLOW;
      return async () => {
        let bytes: Uint8Array;
        const pooled = chosen.readInto === undefined ? undefined : buffers.take(length);
        if (length === 0) bytes = new Uint8Array(0);
        else if (pooled !== undefined && chosen.readInto !== undefined) {
          // Lent until the reply is sent, then the next read's.
          lent.buffer = pooled;
          bytes = pooled.subarray(0, length);
          await chosen.readInto(offset, bytes);
        } else bytes = await chosen.read(offset, length);
        counts.reads += 1;
        return bytes;
      };
    case Command.WRITE:
      if (chosen.readOnly) return NbdError.EPERM;
      if (!inRange) return NbdError.ENOSPC;
      return async () => {
        if (length > 0 && data !== undefined) await chosen.write(offset, data, fua);
        counts.writes += 1;
        return undefined;
      };
    case Command.FLUSH:
      return async () => {
        await chosen.flush();
        counts.flushes += 1;
        return undefined;
      };
    case Command.TRIM: {
      if (chosen.readOnly) return NbdError.EPERM;
      const trim = chosen.trim?.bind(chosen);
      if (trim === undefined || !inRange) return NbdError.EINVAL;
      return async () => {
        if (length > 0) await trim(offset, length);
        if (fua) await chosen.flush();
        counts.trims += 1;
        return undefined;
      };
    }
    default:
      return NbdError.EINVAL;
  }
}

/** The range a valid request touches, whether it changes the export, and the bytes it holds. */
function footprint(request: Request): {
  start: number;
  end: number;
  changes: boolean;
  bytes: number;
} {
  const start = Number(request.offset);
  const end = start + request.length;
  switch (request.type) {
    case Command.READ:
      return { start, end, changes: false, bytes: request.length };
    case Command.WRITE:
      return { start, end, changes: true, bytes: request.length };
    case Command.TRIM:
      return { start, end, changes: true, bytes: 0 };
    default:
      return { start: 0, end: 0, changes: false, bytes: 0 };
  }
}

/** The bytes a request holds from its header on: its write data, or the data of a valid read. */
function payloadBytes(request: Request, sizeBytes: number): number {
  if (request.type === Command.WRITE) return request.length;
  if (request.type !== Command.READ || request.length > BLOCK_SIZE.maximumPayload) return 0;
  return request.offset + BigInt(request.length) <= BigInt(sizeBytes) ? request.length : 0;
}

/**
 * Serves requests until the client sends NBD_CMD_DISC or goes away, or breaks the protocol (a
 * ProtocolViolation); in every case it resolves or rejects only once the requests under way are
 * served and their replies handed to the socket (or the socket is gone).
 */
export async function transmit(
  socket: Socket,
  reader: MessageReader,
  chosen: BlockExport,
  counts: TransmissionCounts,
  onExportError: (error: unknown) => void,
  limits: InFlightLimits,
): Promise<void> {
  const inFlight = new InFlightRequests(limits);
  // A WRITE's data is the server's again once the export's write has resolved (BlockExport); a
  // READ's buffer once its reply is handed to the socket.
  const buffers = new PayloadBuffers(limits.requests);
  const answer = (
    request: Request,
    admitted: InFlightRequest,
    error: number,
    data?: Uint8Array,
    lent: Lent = { buffer: undefined },
  ): void => {
    if (error !== 0) counts.refused += 1;
    reply(socket, request.cookie, error, data, () => {
      if (lent.buffer !== undefined) buffers.give(lent.buffer);
      inFlight.release(admitted);
    });
  };
  const serve = async (
    request: Request,
    data: Buffer | undefined,
    pooled: Buffer | undefined,
  ): Promise<void> => {
    try {
      const lent: Lent = { buffer: undefined };
      const work = workOf(request, data, chosen, counts, buffers, lent);
      if (typeof work === 'number') {
        answer(request, inFlight.admit(0, 0, false, 0).request, work);
        return;
      }
      const { start, end, changes, bytes } = footprint(request);
      const { request: admitted, after } = inFlight.admit(start, end, changes, bytes);
      await after;
      try {
        const result = await work();
        admitted.markServed();
        answer(request, admitted, 0, result, lent);
      } catch (error) {
        admitted.markServed();
        onExportError(error);
        answer(request, admitted, errorValueOf(error), undefined, lent);
      }
    } finally {
      if (pooled !== undefined) buffers.give(pooled);
    }
  };
  try {
    for (;;) {
      await inFlight.roomForRequest();
      const request = parseRequest(await reader.read(28));
      if (request.type === Command.WRITE && request.length > BLOCK_SIZE.maximumPayload)
        throw new ProtocolViolation(`a write of ${request.length} bytes`);
      if (request.type === Command.DISC) return;
      await inFlight.roomForBytes(payloadBytes(request, chosen.sizeBytes));
      const pooled = request.type === Command.WRITE ? buffers.take(request.length) : undefined;
      const data =
        request.type === Command.WRITE ? await reader.read(request.length, pooled) : undefined;
      void serve(request, data, pooled);
    }
  } finally {
    await inFlight.drained();
  }
}
