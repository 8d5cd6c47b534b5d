/**
 * While one control message is being handled (GET_VRING_BASE waits for a request the disk has
 * not finished), the front end may go on sending. This process must not read on without bound:
 * every message read may carry descriptors (SCM_RIGHTS), which stay open in this process until
 * their message is handled. Reading stops until the message under way is handled.
 */
import { createRequire } from 'node:module';
import { closeSync, readdirSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { memoryBlockExport } from '@hvm/nbd';
import { describe, expect, it, vi } from 'vitest';
import { memfd, sendWithDescriptors } from './descriptorSender.test-support.js';
import { serveVhostUserBlkOnSocketPair } from './index.js';
import { EFD_CLOEXEC, EFD_NONBLOCK, libcCalls } from './libc.js';
import { DESC_F_NEXT, DESC_F_WRITE, Feature, ProtocolFeature, Request } from './protocol.js';

const dup = (
  createRequire(import.meta.url)('koffi') as {
    load(name: string): { func(signature: string): (fd: number) => number };
  }
)
  .load('libc.so.6')
  .func('int dup(int fd)');

const MEMORY = 1024 * 1024;
const USER = 0x7f00_0000_0000;
const QUEUE = 128;

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

function words(values: (number | bigint)[], widths: number[]): Uint8Array {
  const bytes = new Uint8Array(widths.reduce((sum, width) => sum + width, 0));
  const view = new DataView(bytes.buffer);
  let at = 0;
  values.forEach((value, index) => {
    if (widths[index] === 8) view.setBigUint64(at, BigInt(value), true);
    else view.setUint32(at, Number(value), true);
    at += widths[index] ?? 0;
  });
  return bytes;
}

describe('control messages while one is under way', () => {
  it('are not read on (nor their descriptors taken) until the one under way is handled', async () => {
    const calls = libcCalls();
    if (calls === null) throw new Error('no C library calls on this host');
    const disk = memoryBlockExport(1024 * 1024);
    const held: (() => void)[] = [];
    const slow = {
      ...disk,
      readInto: (offset: number, into: Uint8Array): Promise<void> =>
        new Promise<void>((resolve) =>
          held.push(() => void disk.readInto(offset, into).then(resolve)),
        ),
    };
    const serving = serveVhostUserBlkOnSocketPair({ export: slow, queueSize: QUEUE });
    const sender = dup(serving.clientDescriptor);
    const socket = new Socket({ fd: dup(serving.clientDescriptor), readable: true });
    serving.releaseClientDescriptor();
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const eventfd = (): number => calls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    const send = (request: number, payload: Uint8Array, fds: number[] = []): void => {
      sendWithDescriptors(sender, request, payload, fds);
      for (const fd of fds) closeSync(fd);
    };
    try {
      // The guest: one read request in the ring, its head offered.
      const ram = memfd(MEMORY);
      const ringAt = { descriptors: 0x1000, avail: 0x2000, used: 0x3000 };
      const desc = (index: number, address: number, length: number, flags: number, next: number) =>
        writeSync(
          ram,
          words([address, length, flags | (next << 16)], [8, 4, 4]),
          0,
          16,
          ringAt.descriptors + index * 16,
        );
      writeSync(ram, words([0, 0, 0], [4, 4, 8]), 0, 16, 0x10000);
      desc(0, 0x10000, 16, DESC_F_NEXT, 1);
      desc(1, 0x11000, 512, DESC_F_WRITE | DESC_F_NEXT, 2);
      desc(2, 0x12000, 1, DESC_F_WRITE, 0);
      writeSync(ram, new Uint8Array([0, 0, 1, 0, 0, 0]), 0, 6, ringAt.avail); // idx 1, ring[0] = 0

      const features =
        (1n << BigInt(Feature.VERSION_1)) | (1n << BigInt(Feature.PROTOCOL_FEATURES));
      send(Request.SET_FEATURES, words([features], [8]));
      send(Request.SET_PROTOCOL_FEATURES, words([1n << BigInt(ProtocolFeature.CONFIG)], [8]));
      send(Request.SET_MEM_TABLE, words([1, 0, 0, MEMORY, USER, 0], [4, 4, 8, 8, 8, 8]), [ram]);
      send(Request.SET_VRING_NUM, words([0, QUEUE], [4, 4]));
      send(
        Request.SET_VRING_ADDR,
        words(
          [0, 0, USER + ringAt.descriptors, USER + ringAt.used, USER + ringAt.avail, 0],
          [4, 4, 8, 8, 8, 8],
        ),
      );
      send(Request.SET_VRING_BASE, words([0, 0], [4, 4]));
      send(Request.SET_VRING_CALL, words([0], [8]), [eventfd()]);
      send(Request.SET_VRING_ENABLE, words([0, 1], [4, 4]));
      send(Request.SET_VRING_KICK, words([0], [8]), [eventfd()]);
      await vi.waitFor(() => expect(held).toHaveLength(1));

      send(Request.GET_VRING_BASE, words([0, 0], [4, 4]));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = openDescriptors();
      for (let index = 0; index < 40; index++)
        send(Request.SET_VRING_CALL, words([0], [8]), [eventfd(), eventfd(), eventfd()]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Taken while GET_VRING_BASE waits: 120 descriptors without backpressure.
      expect(openDescriptors() - before).toBeLessThanOrEqual(3 * 16);

      for (const release of held.splice(0)) release();
      await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(20));
      expect(received.readUInt32LE(0)).toBe(Request.GET_VRING_BASE);
      expect(received.readUInt32LE(16)).toBe(1); // the next available index
      await vi.waitFor(() => expect(openDescriptors()).toBeLessThanOrEqual(before + 1));
    } finally {
      for (const release of held.splice(0)) release();
      socket.destroy();
      closeSync(sender);
      await serving.close();
    }
  });
});
