/**
 * The handshake phase of the fixed newstyle negotiation (proto.md, "Fixed newstyle negotiation",
 * "Option types"): greet, read the client flags, answer options until NBD_OPT_GO or
 * NBD_OPT_EXPORT_NAME chooses an export. Unknown options are answered NBD_REP_ERR_UNSUP, as a fixed
 * newstyle server must; TLS and structured replies are not offered (the socket is local).
 */
import type { Socket } from 'node:net';
import type { BlockExport, ExportLookup } from './blockExport.js';
import {
  BLOCK_SIZE,
  ClientFlag,
  HandshakeFlag,
  IHAVEOPT,
  Info,
  MAX_OPTIONS,
  MAX_OPTION_LENGTH,
  NBD_MAGIC,
  Option,
  OptionReply,
  OPTION_REPLY_MAGIC,
  TransmissionFlag,
} from './protocol.js';
import type { MessageReader } from './socketReader.js';

/** The client broke the protocol: the server ends the session (proto.md allows a hard disconnect). */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

export function transmissionFlags(chosen: BlockExport): number {
  let flags = TransmissionFlag.HAS_FLAGS | TransmissionFlag.SEND_FLUSH | TransmissionFlag.SEND_FUA;
  if (chosen.readOnly) flags |= TransmissionFlag.READ_ONLY;
  if (chosen.trim !== undefined && !chosen.readOnly) flags |= TransmissionFlag.SEND_TRIM;
  return flags;
}

function optionReply(
  socket: Socket,
  option: number,
  type: number,
  data: Buffer = Buffer.alloc(0),
): void {
  const header = Buffer.alloc(20);
  header.writeBigUInt64BE(OPTION_REPLY_MAGIC, 0);
  header.writeUInt32BE(option, 8);
  header.writeUInt32BE(type, 12);
  header.writeUInt32BE(data.length, 16);
  socket.write(data.length > 0 ? Buffer.concat([header, data]) : header);
}

function exportInfo(chosen: BlockExport): Buffer {
  const info = Buffer.alloc(12);
  info.writeUInt16BE(Info.EXPORT, 0);
  info.writeBigUInt64BE(BigInt(chosen.sizeBytes), 2);
  info.writeUInt16BE(transmissionFlags(chosen), 10);
  return info;
}

function blockSizeInfo(): Buffer {
  const info = Buffer.alloc(14);
  info.writeUInt16BE(Info.BLOCK_SIZE, 0);
  info.writeUInt32BE(BLOCK_SIZE.minimum, 2);
  info.writeUInt32BE(BLOCK_SIZE.preferred, 6);
  info.writeUInt32BE(BLOCK_SIZE.maximumPayload, 10);
  return info;
}

/** Parses NBD_OPT_INFO / NBD_OPT_GO data: name length, name, request count, requests. */
function parseInfoRequest(data: Buffer): { name: string; requests: number[] } | null {
  if (data.length < 6) return null;
  const nameLength = data.readUInt32BE(0);
  if (nameLength > data.length - 6) return null;
  const name = data.subarray(4, 4 + nameLength).toString('utf8');
  const count = data.readUInt16BE(4 + nameLength);
  if (data.length !== 6 + nameLength + 2 * count) return null;
  const requests = Array.from({ length: count }, (_, i) =>
    data.readUInt16BE(6 + nameLength + 2 * i),
  );
  return { name, requests };
}

/** The export the client chose and whether it asked for the 124 zero bytes to be left out. */
export interface Negotiated {
  chosen: BlockExport;
}

/** Runs the handshake; resolves with the chosen export, or null when the client aborted. */
export async function negotiate(
  socket: Socket,
  reader: MessageReader,
  lookup: ExportLookup,
): Promise<Negotiated | null> {
  const greeting = Buffer.alloc(18);
  greeting.writeBigUInt64BE(NBD_MAGIC, 0);
  greeting.writeBigUInt64BE(IHAVEOPT, 8);
  greeting.writeUInt16BE(HandshakeFlag.FIXED_NEWSTYLE | HandshakeFlag.NO_ZEROES, 16);
  socket.write(greeting);
  const clientFlags = (await reader.read(4)).readUInt32BE(0);
  // "the server MUST drop the TCP connection if the client sets an unknown flag" (proto.md, "Client flags").
  if ((clientFlags & ~(ClientFlag.FIXED_NEWSTYLE | ClientFlag.NO_ZEROES)) !== 0)
    throw new ProtocolViolation(`unknown client flags 0x${clientFlags.toString(16)}`);
  const noZeroes = (clientFlags & ClientFlag.NO_ZEROES) !== 0;

  for (let count = 0; count < MAX_OPTIONS; count++) {
    const header = await reader.read(16);
    if (header.readBigUInt64BE(0) !== IHAVEOPT) throw new ProtocolViolation('bad option magic');
    const option = header.readUInt32BE(8);
    const length = header.readUInt32BE(12);
    if (length > MAX_OPTION_LENGTH) {
      // The data cannot be skipped without reading it all: end the session instead.
      throw new ProtocolViolation(`option data of ${length} bytes`);
    }
    const data = await reader.read(length);
    switch (option) {
      case Option.EXPORT_NAME: {
        const chosen = lookup(data.toString('utf8'));
        // "the server MUST terminate the session" for an export it will not allow (proto.md).
        if (chosen === undefined)
          throw new ProtocolViolation('NBD_OPT_EXPORT_NAME of an unknown export');
        const reply = Buffer.alloc(noZeroes ? 10 : 134);
        reply.writeBigUInt64BE(BigInt(chosen.sizeBytes), 0);
        reply.writeUInt16BE(transmissionFlags(chosen), 8);
        socket.write(reply);
        return { chosen };
      }
      case Option.ABORT:
        optionReply(socket, option, OptionReply.ACK);
        return null;
      case Option.LIST: {
        if (length !== 0) {
          optionReply(socket, option, OptionReply.ERR_INVALID);
          break;
        }
        // Exports are addressed by name only; the list is not offered (NBD_REP_ERR_POLICY is allowed).
        optionReply(socket, option, OptionReply.ERR_POLICY);
        break;
      }
      case Option.INFO:
      case Option.GO: {
        const request = parseInfoRequest(data);
        if (request === null) {
          optionReply(socket, option, OptionReply.ERR_INVALID);
          break;
        }
        const chosen = lookup(request.name);
        if (chosen === undefined) {
          optionReply(socket, option, OptionReply.ERR_UNKNOWN);
          break;
        }
        optionReply(socket, option, OptionReply.INFO, exportInfo(chosen));
        // Sent unasked too: the server keeps the default constraints, which are safe to announce.
        optionReply(socket, option, OptionReply.INFO, blockSizeInfo());
        if (request.requests.includes(Info.DESCRIPTION) && chosen.description !== undefined) {
          const text = Buffer.from(chosen.description, 'utf8').subarray(0, 4096);
          const info = Buffer.alloc(2 + text.length);
          info.writeUInt16BE(Info.DESCRIPTION, 0);
          text.copy(info, 2);
          optionReply(socket, option, OptionReply.INFO, info);
        }
        optionReply(socket, option, OptionReply.ACK);
        if (option === Option.GO) return { chosen };
        break;
      }
      default:
        optionReply(socket, option, OptionReply.ERR_UNSUP);
    }
  }
  throw new ProtocolViolation(`more than ${MAX_OPTIONS} options`);
}
