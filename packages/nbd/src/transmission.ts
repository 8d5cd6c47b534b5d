/**
 * The transmission phase with simple replies (proto.md, "Transmission", "Request types"): one
 * request at a time per connection, answered in order. A request beyond the export's end, an
 * unknown command or flag is answered NBD_EINVAL and the session goes on; a WRITE longer than the
 * maximum payload ends the session, since its data could only be skipped by reading it all.
 */
import type { Socket } from 'node:net';
import { BlockExportError, type BlockExport } from './blockExport.js';
import { ProtocolViolation } from './handshake.js';
import {
  BLOCK_SIZE,
  Command,
  CommandFlag,
  NbdError,
  REQUEST_MAGIC,
  SIMPLE_REPLY_MAGIC,
} from './protocol.js';
import type { SocketReader } from './socketReader.js';

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

function reply(socket: Socket, cookie: bigint, error: number, data?: Uint8Array): void {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(SIMPLE_REPLY_MAGIC, 0);
  header.writeUInt32BE(error, 4);
  header.writeBigUInt64BE(cookie, 8);
  socket.write(header);
  if (data !== undefined) socket.write(data);
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

/** Serves requests until the client sends NBD_CMD_DISC or goes away. */
export async function transmit(
  socket: Socket,
  reader: SocketReader,
  chosen: BlockExport,
  counts: TransmissionCounts,
  onExportError: (error: unknown) => void,
): Promise<void> {
  const size = BigInt(chosen.sizeBytes);
  for (;;) {
    const request = parseRequest(await reader.read(28));
    const { type, cookie, length } = request;
    if (type === Command.WRITE && length > BLOCK_SIZE.maximumPayload)
      throw new ProtocolViolation(`a write of ${length} bytes`);
    const data = type === Command.WRITE ? await reader.read(length) : Buffer.alloc(0);
    if (type === Command.DISC) return;
    const refuse = (error: number): void => {
      counts.refused += 1;
      reply(socket, cookie, error);
    };
    if ((request.flags & ~CommandFlag.FUA) !== 0) {
      refuse(NbdError.EINVAL);
      continue;
    }
    const inRange = request.offset + BigInt(length) <= size;
    const offset = Number(request.offset);
    const fua = (request.flags & CommandFlag.FUA) !== 0;
    try {
      switch (type) {
        case Command.READ:
          if (!inRange) refuse(NbdError.EINVAL);
          else if (length > BLOCK_SIZE.maximumPayload) refuse(NbdError.EOVERFLOW);
          else {
            const bytes = length === 0 ? new Uint8Array(0) : await chosen.read(offset, length);
            counts.reads += 1;
            reply(socket, cookie, 0, bytes);
          }
          break;
        case Command.WRITE:
          if (chosen.readOnly) refuse(NbdError.EPERM);
          else if (!inRange) refuse(NbdError.ENOSPC);
          else {
            if (length > 0) await chosen.write(offset, data, fua);
            counts.writes += 1;
            reply(socket, cookie, 0);
          }
          break;
        case Command.FLUSH:
          await chosen.flush();
          counts.flushes += 1;
          reply(socket, cookie, 0);
          break;
        case Command.TRIM:
          if (chosen.readOnly) refuse(NbdError.EPERM);
          else if (chosen.trim === undefined) refuse(NbdError.EINVAL);
          else if (!inRange) refuse(NbdError.EINVAL);
          else {
            if (length > 0) await chosen.trim(offset, length);
            if (fua) await chosen.flush();
            counts.trims += 1;
            reply(socket, cookie, 0);
          }
          break;
        default:
          // "The server SHOULD return NBD_EINVAL if it receives an unknown command" (proto.md).
          refuse(NbdError.EINVAL);
      }
    } catch (error) {
      onExportError(error);
      refuse(errorValueOf(error));
    }
  }
}
