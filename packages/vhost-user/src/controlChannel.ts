/**
 * The vhost-user control socket, read with `recvmsg(2)` (SCM_RIGHTS descriptors arrive with a
 * message's first bytes; `net.Socket` would drop them). Each message is read in two steps, its
 * 12-byte header, then exactly its payload, so the descriptors a read returns belong to the
 * message that read starts. Descriptors are received close-on-exec (MSG_CMSG_CLOEXEC).
 * Replies are plain writes on the same descriptor.
 */
import { closeSync, writeSync } from 'node:fs';
import {
  EAGAIN,
  EINTR,
  MSG_CMSG_CLOEXEC,
  MSG_CTRUNC,
  MSG_DONTWAIT,
  SCM_RIGHTS,
  SOL_SOCKET,
  type LibcCalls,
  type NativePointer,
} from './libc.js';
import { HEADER_BYTES, MAX_PAYLOAD_BYTES } from './protocol.js';

export interface ControlMessage {
  request: number;
  flags: number;
  payload: Uint8Array;
  fds: number[];
}

const MSGHDR_BYTES = 56;
const IOVEC_BYTES = 16;
const CONTROL_BYTES = 256;
const DATA_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES;

export class ControlChannel {
  private readonly block: NativePointer;
  private readonly memory: DataView;
  private readonly bytes: Uint8Array;
  private readonly base: bigint;
  private filled = 0;
  private wanted = HEADER_BYTES;
  private header: { request: number; flags: number; size: number } | null = null;
  private pendingFds: number[] = [];
  private freed = false;

  constructor(
    private readonly calls: LibcCalls,
    readonly fd: number,
  ) {
    const total = MSGHDR_BYTES + IOVEC_BYTES + CONTROL_BYTES + DATA_BYTES;
    this.block = calls.allocate(total);
    const buffer = calls.view(this.block, total);
    this.memory = new DataView(buffer);
    this.bytes = new Uint8Array(buffer, MSGHDR_BYTES + IOVEC_BYTES + CONTROL_BYTES, DATA_BYTES);
    this.base = calls.address(this.block);
  }

  /**
   * Reads what the socket has, up to `maxMessages` whole messages (the rest stays in the socket);
   * returns the messages completed, or why the connection ends: the end of the stream, a failed
   * read, or a protocol fault (a payload past our bound, descriptors cut off).
   */
  receive(maxMessages = Infinity): ControlMessage[] | { ended: string } {
    const messages: ControlMessage[] = [];
    while (messages.length < maxMessages) {
      const got = this.readSome();
      if (got === 'again') return messages;
      if (typeof got === 'object') return got;
      if (this.filled < this.wanted) continue;
      if (this.header === null) {
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, HEADER_BYTES);
        const size = view.getUint32(8, true);
        if (size > MAX_PAYLOAD_BYTES)
          return { ended: `a message of ${size} bytes, past the ${MAX_PAYLOAD_BYTES} accepted` };
        this.header = { request: view.getUint32(0, true), flags: view.getUint32(4, true), size };
        this.wanted = HEADER_BYTES + size;
        if (size > 0) continue;
      }
      messages.push({
        request: this.header.request,
        flags: this.header.flags,
        payload: this.bytes.slice(HEADER_BYTES, this.wanted),
        fds: this.pendingFds,
      });
      this.pendingFds = [];
      this.header = null;
      this.filled = 0;
      this.wanted = HEADER_BYTES;
    }
    return messages;
  }

  /**
   * Sends a reply: the header with the REPLY flag and `payload`. Our end is non-blocking: when
   * the socket's buffer is full (the front end does not read its replies) this throws, and the
   * connection must end, rather than block this process.
   */
  reply(request: number, flags: number, payload: Uint8Array): void {
    const message = new Uint8Array(HEADER_BYTES + payload.length);
    const view = new DataView(message.buffer);
    view.setUint32(0, request, true);
    view.setUint32(4, flags, true);
    view.setUint32(8, payload.length, true);
    message.set(payload, HEADER_BYTES);
    let sent = 0;
    try {
      while (sent < message.length) sent += writeSync(this.fd, message, sent);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new Error(
        code === 'EAGAIN'
          ? 'the front end does not read its replies'
          : `a reply could not be sent: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Frees the native buffers and closes descriptors received but not handed out. */
  dispose(): void {
    if (this.freed) return;
    this.freed = true;
    for (const fd of this.pendingFds) closeQuietly(fd);
    this.pendingFds = [];
    this.calls.free(this.block);
  }

  private readSome(): 'again' | { ended: string } | number {
    const iovAt = MSGHDR_BYTES;
    const controlAt = MSGHDR_BYTES + IOVEC_BYTES;
    const dataAt = controlAt + CONTROL_BYTES;
    const m = this.memory;
    m.setBigUint64(0, 0n, true); // msg_name
    m.setUint32(8, 0, true); // msg_namelen
    m.setBigUint64(16, this.base + BigInt(iovAt), true); // msg_iov
    m.setBigUint64(24, 1n, true); // msg_iovlen
    m.setBigUint64(32, this.base + BigInt(controlAt), true); // msg_control
    m.setBigUint64(40, BigInt(CONTROL_BYTES), true); // msg_controllen
    m.setInt32(48, 0, true); // msg_flags
    m.setBigUint64(iovAt, this.base + BigInt(dataAt + this.filled), true); // iov_base
    m.setBigUint64(iovAt + 8, BigInt(this.wanted - this.filled), true); // iov_len
    const got = this.calls.recvmsg(this.fd, this.block, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (got < 0) {
      const errno = this.calls.errno();
      if (errno === EAGAIN || errno === EINTR) return 'again';
      return { ended: `recvmsg(2) failed: errno ${errno}` };
    }
    if (got === 0) return { ended: 'the front end hung up' };
    this.takeDescriptors(controlAt);
    if (m.getInt32(48, true) & MSG_CTRUNC) return { ended: 'descriptors cut off (MSG_CTRUNC)' };
    this.filled += got;
    return got;
  }

  /** Collects the SCM_RIGHTS descriptors of the control buffer (struct cmsghdr, <sys/socket.h>). */
  private takeDescriptors(controlAt: number): void {
    const m = this.memory;
    const length = Number(m.getBigUint64(40, true));
    let at = 0;
    while (at + 16 <= length && at + 16 <= CONTROL_BYTES) {
      const cmsgLength = Number(m.getBigUint64(controlAt + at, true));
      if (cmsgLength < 16 || at + cmsgLength > CONTROL_BYTES) break;
      const level = m.getInt32(controlAt + at + 8, true);
      const type = m.getInt32(controlAt + at + 12, true);
      if (level === SOL_SOCKET && type === SCM_RIGHTS)
        for (let fd = 16; fd + 4 <= cmsgLength; fd += 4)
          this.pendingFds.push(m.getInt32(controlAt + at + fd, true));
      at += (cmsgLength + 7) & ~7;
    }
  }
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}
