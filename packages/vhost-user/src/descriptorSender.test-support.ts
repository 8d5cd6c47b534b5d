/**
 * A test front end's sending side with descriptors: a vhost-user message (header and payload)
 * sent with sendmsg(2) and SCM_RIGHTS (struct msghdr and struct cmsghdr of <sys/socket.h>,
 * Linux x86-64/arm64 layout), as QEMU sends SET_MEM_TABLE and SET_VRING_KICK/CALL.
 */
import { createRequire } from 'node:module';
import { SCM_RIGHTS, SOL_SOCKET } from './libc.js';

interface Koffi {
  load(name: string): { func(signature: string): (...args: unknown[]) => number | bigint };
  alloc(type: string, length: number): object;
  free(pointer: object): void;
  address(pointer: object): bigint;
  view(pointer: object, length: number): ArrayBuffer;
}

const koffi = createRequire(import.meta.url)('koffi') as Koffi;
const libc = koffi.load('libc.so.6');
const sendmsg = libc.func('intptr_t sendmsg(int fd, void *msg, int flags)');
const memfdCreate = libc.func('int memfd_create(const char *name, unsigned int flags)');
const ftruncate = libc.func('int ftruncate(int fd, int64_t length)');

/** A memfd of `bytes` bytes (close-on-exec), standing for QEMU's guest RAM. */
export function memfd(bytes: number): number {
  const fd = Number(memfdCreate('hvm-vhost-test', 1 /* MFD_CLOEXEC */));
  if (fd < 0 || Number(ftruncate(fd, bytes)) !== 0) throw new Error('memfd_create failed');
  return fd;
}

/** Sends one message (flags: version 1 plus `extraFlags`) with `fds` attached to its bytes. */
export function sendWithDescriptors(
  socketFd: number,
  request: number,
  payload: Uint8Array,
  fds: number[],
  extraFlags = 0,
): void {
  const data = new Uint8Array(12 + payload.length);
  const header = new DataView(data.buffer);
  header.setUint32(0, request, true);
  header.setUint32(4, 0x1 | extraFlags, true);
  header.setUint32(8, payload.length, true);
  data.set(payload, 12);
  const controlBytes = fds.length === 0 ? 0 : (16 + 4 * fds.length + 7) & ~7;
  const total = 56 + 16 + controlBytes + data.length;
  const block = koffi.alloc('uint8_t', total);
  try {
    const base = koffi.address(block);
    const memory = new DataView(koffi.view(block, total));
    const bytes = new Uint8Array(memory.buffer);
    const iovAt = 56;
    const controlAt = iovAt + 16;
    const dataAt = controlAt + controlBytes;
    memory.setBigUint64(16, base + BigInt(iovAt), true); // msg_iov
    memory.setBigUint64(24, 1n, true); // msg_iovlen
    memory.setBigUint64(32, controlBytes === 0 ? 0n : base + BigInt(controlAt), true);
    memory.setBigUint64(40, BigInt(controlBytes), true); // msg_controllen
    memory.setBigUint64(iovAt, base + BigInt(dataAt), true);
    memory.setBigUint64(iovAt + 8, BigInt(data.length), true);
    if (fds.length > 0) {
      memory.setBigUint64(controlAt, BigInt(16 + 4 * fds.length), true); // cmsg_len
      memory.setInt32(controlAt + 8, SOL_SOCKET, true);
      memory.setInt32(controlAt + 12, SCM_RIGHTS, true);
      fds.forEach((fd, index) => memory.setInt32(controlAt + 16 + index * 4, fd, true));
    }
    bytes.set(data, dataAt);
    const sent = Number(sendmsg(socketFd, block, 0));
    if (sent !== data.length) throw new Error(`sendmsg(2) sent ${sent} of ${data.length} bytes`);
  } finally {
    koffi.free(block);
  }
}
