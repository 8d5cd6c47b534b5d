/**
 * A minimal NBD client speaking raw bytes, for the cases an outside client never sends (bad magic,
 * unknown options and commands, requests beyond the end).
 */
import { connect, type Socket } from 'node:net';
import { SocketReader } from '../socketReader.js';
import { IHAVEOPT, REQUEST_MAGIC } from '../protocol.js';

export interface RawClient {
  socket: Socket;
  reader: SocketReader;
  /** Sends an option; returns the reply type and data of each reply up to a final one. */
  option(option: number, data?: Buffer): Promise<{ type: number; data: Buffer }[]>;
  /** Sends a request; returns the simple reply's error value and, on success of a read, the data. */
  request(
    type: number,
    offset: number,
    length: number,
    flags?: number,
    data?: Buffer,
  ): Promise<{ error: number; data: Buffer }>;
  /**
   * Sends a request without waiting for its reply (several may be under way); returns its cookie.
   * `readReply` then reads the replies in the order the server sends them.
   */
  send(type: number, offset: number, length: number, flags?: number, data?: Buffer): bigint;
  /** The next reply, whichever request it answers: its cookie, error value and a read's data. */
  readReply(): Promise<{ cookie: bigint; error: number; data: Buffer }>;
  /** Resolves once the server has closed the connection. */
  closed: Promise<void>;
}

export async function connectRaw(socketPath: string, clientFlags = 1): Promise<RawClient> {
  const socket = connect(socketPath);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const reader = new SocketReader(socket);
  await reader.read(18);
  const flags = Buffer.alloc(4);
  flags.writeUInt32BE(clientFlags, 0);
  socket.write(flags);
  let cookie = 0n;
  const pending = new Map<bigint, { type: number; length: number }>();
  const send = (type: number, offset: number, length: number, flags = 0, data?: Buffer): bigint => {
    cookie += 1n;
    const header = Buffer.alloc(28);
    header.writeUInt32BE(REQUEST_MAGIC, 0);
    header.writeUInt16BE(flags, 4);
    header.writeUInt16BE(type, 6);
    header.writeBigUInt64BE(cookie, 8);
    header.writeBigUInt64BE(BigInt(offset), 16);
    header.writeUInt32BE(length, 24);
    socket.write(data === undefined ? header : Buffer.concat([header, data]));
    pending.set(cookie, { type, length });
    return cookie;
  };
  const readReply = async (): Promise<{ cookie: bigint; error: number; data: Buffer }> => {
    const reply = await reader.read(16);
    const error = reply.readUInt32BE(4);
    const answered = reply.readBigUInt64BE(8);
    const request = pending.get(answered);
    if (request === undefined) throw new Error(`a reply for cookie ${answered}, never sent`);
    pending.delete(answered);
    const body =
      request.type === 0 && error === 0 ? await reader.read(request.length) : Buffer.alloc(0);
    return { cookie: answered, error, data: body };
  };
  return {
    socket,
    reader,
    closed,
    option: async (option, data = Buffer.alloc(0)) => {
      const header = Buffer.alloc(16);
      header.writeBigUInt64BE(IHAVEOPT, 0);
      header.writeUInt32BE(option, 8);
      header.writeUInt32BE(data.length, 12);
      socket.write(Buffer.concat([header, data]));
      const replies: { type: number; data: Buffer }[] = [];
      for (;;) {
        const reply = await reader.read(20);
        const type = reply.readUInt32BE(12);
        const body = await reader.read(reply.readUInt32BE(16));
        replies.push({ type, data: body });
        if (type !== 3 && type !== 2) return replies;
      }
    },
    request: async (type, offset, length, flags = 0, data) => {
      const sent = send(type, offset, length, flags, data);
      const { cookie: answered, error, data: body } = await readReply();
      if (answered !== sent) throw new Error('reply for another cookie');
      return { error, data: body };
    },
    send,
    readReply,
  };
}

/** NBD_OPT_GO data for `name` with no information requests. */
export function goData(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  const data = Buffer.alloc(6 + bytes.length);
  data.writeUInt32BE(bytes.length, 0);
  bytes.copy(data, 4);
  return data;
}
