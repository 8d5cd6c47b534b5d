/**
 * The descriptors SET_VRING_KICK, SET_VRING_CALL and SET_LOG_FD hand over are read and written
 * on the main thread, so they must be what QEMU sends: non-blocking eventfds (QEMU's
 * event_notifier_init, util/event_notifier-posix.c, makes them with EFD_NONBLOCK). A blocking
 * pipe as the call descriptor would block this whole process once its buffer is full; a pipe
 * whose writer is gone as the kick descriptor would be "readable" forever.
 */
import { createRequire } from 'node:module';
import { closeSync, fstatSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendWithReplies, u64 } from './backendHarness.test-support.js';
import { EFD_CLOEXEC, EFD_NONBLOCK, libcCalls } from './libc.js';
import { ProtocolFeature, Request } from './protocol.js';

const koffi = createRequire(import.meta.url)('koffi') as {
  load(name: string): { func(signature: string): (...args: unknown[]) => number };
};
const pipe = koffi.load('libc.so.6').func('int pipe(_Out_ int32_t *fds)');

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

describe('ring descriptors and sizes', () => {
  it('refuses a pipe or a blocking eventfd as the kick, call or log descriptor, closing it', async () => {
    const calls = libcCalls();
    if (calls === null) throw new Error('no C library calls on this host');
    const backend = backendWithReplies();
    expect(
      await backend.send(
        Request.SET_PROTOCOL_FEATURES,
        u64(1n << BigInt(ProtocolFeature.REPLY_ACK)),
      ),
    ).toBe(0n);
    for (const request of [Request.SET_VRING_KICK, Request.SET_VRING_CALL, Request.SET_LOG_FD]) {
      const ends = new Int32Array(2);
      expect(pipe(ends)).toBe(0);
      const [readEnd = -1, writeEnd = -1] = ends;
      const blocking = calls.eventfd(0, EFD_CLOEXEC);
      for (const fd of [request === Request.SET_VRING_CALL ? writeEnd : readEnd, blocking]) {
        expect(await backend.send(request, u64(0n), [fd]), `request ${request}`).not.toBe(0n);
        expect(isOpen(fd)).toBe(false);
      }
      closeSync(request === Request.SET_VRING_CALL ? readEnd : writeEnd);
    }
    const good = calls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    expect(await backend.send(Request.SET_VRING_CALL, u64(0n), [good])).toBe(0n);
    expect(isOpen(good)).toBe(true);
    await backend.shutdown();
    expect(isOpen(good)).toBe(false);
  });

  it('refuses a ring larger than the device queue it serves (seg_max and the work per kick follow it)', async () => {
    const backend = backendWithReplies();
    expect(
      await backend.send(
        Request.SET_PROTOCOL_FEATURES,
        u64(1n << BigInt(ProtocolFeature.REPLY_ACK)),
      ),
    ).toBe(0n);
    const num = (size: number): Uint8Array => {
      const payload = new Uint8Array(8);
      new DataView(payload.buffer).setUint32(4, size, true);
      return payload;
    };
    expect(await backend.send(Request.SET_VRING_NUM, num(128))).toBe(0n);
    expect(await backend.send(Request.SET_VRING_NUM, num(64))).toBe(0n);
    expect(await backend.send(Request.SET_VRING_NUM, num(256))).not.toBe(0n);
    expect(await backend.send(Request.SET_VRING_NUM, num(32768))).not.toBe(0n);
    await backend.shutdown();
  });
});
