/**
 * SET_VRING_ENABLE on a started ring (vhost-user.rst, "Ring states": a started but disabled
 * ring is processed "without causing any side effects"). For a disk a request served is a side
 * effect, so a disabled ring's requests wait in the avail ring: GET_VRING_BASE then reports
 * them as not taken, and a re-enabled ring serves them. QEMU 7.2's vhost_dev_stop
 * (hw/virtio/vhost.c) disables the rings just before it stops them.
 */
import { createRequire } from 'node:module';
import { closeSync, readSync, writeSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { backendWithReplies, u64 } from './backendHarness.test-support.js';
import { memfd } from './descriptorSender.test-support.js';
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
const DESCRIPTORS = 0x1000;
const AVAIL = 0x2000;
const USED = 0x3000;

function fields(values: (number | bigint)[], widths: number[]): Uint8Array {
  const bytes = new Uint8Array(widths.reduce((sum, width) => sum + width, 0));
  const view = new DataView(bytes.buffer);
  let at = 0;
  values.forEach((value, index) => {
    if (widths[index] === 8) view.setBigUint64(at, BigInt(value), true);
    else if (widths[index] === 4) view.setUint32(at, Number(value), true);
    else view.setUint16(at, Number(value), true);
    at += widths[index] ?? 0;
  });
  return bytes;
}

describe('enabling and disabling a started ring', () => {
  it('serves nothing while disabled, reports those requests as not taken, and serves them once enabled again', async () => {
    const calls = libcCalls();
    if (calls === null) throw new Error('no C library calls on this host');
    const backend = backendWithReplies();
    const ram = memfd(MEMORY);
    const guest = dup(ram);
    const kick = calls.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    const usedIndex = (): number => {
      const bytes = new Uint8Array(2);
      readSync(guest, bytes, 0, 2, USED + 2);
      return new DataView(bytes.buffer).getUint16(0, true);
    };
    // One read request at head 0, offered again each time it has completed.
    writeSync(guest, fields([0, 0, 0], [4, 4, 8]), 0, 16, 0x10000);
    const descriptor = (index: number, address: number, length: number, flags: number) =>
      writeSync(
        guest,
        fields([address, length, flags, index + 1], [8, 4, 2, 2]),
        0,
        16,
        DESCRIPTORS + index * 16,
      );
    descriptor(0, 0x10000, 16, DESC_F_NEXT);
    descriptor(1, 0x11000, 512, DESC_F_WRITE | DESC_F_NEXT);
    descriptor(2, 0x12000, 1, DESC_F_WRITE);
    let offered = 0;
    const offer = (): void => {
      writeSync(guest, fields([0], [2]), 0, 2, AVAIL + 4 + (offered % 128) * 2);
      offered++;
      writeSync(guest, fields([offered], [2]), 0, 2, AVAIL + 2);
      writeSync(kick, u64(1n));
    };

    const features = (1n << BigInt(Feature.VERSION_1)) | (1n << BigInt(Feature.PROTOCOL_FEATURES));
    await backend.send(Request.SET_FEATURES, u64(features));
    await backend.send(Request.SET_PROTOCOL_FEATURES, u64(1n << BigInt(ProtocolFeature.REPLY_ACK)));
    expect(
      await backend.send(
        Request.SET_MEM_TABLE,
        fields([1, 0, 0, MEMORY, USER, 0], [4, 4, 8, 8, 8, 8]),
        [ram],
      ),
    ).toBe(0n);
    await backend.send(Request.SET_VRING_NUM, fields([0, 128], [4, 4]));
    await backend.send(
      Request.SET_VRING_ADDR,
      fields([0, 0, USER + DESCRIPTORS, USER + USED, USER + AVAIL, 0], [4, 4, 8, 8, 8, 8]),
    );
    await backend.send(Request.SET_VRING_BASE, fields([0, 0], [4, 4]));
    expect(await backend.send(Request.SET_VRING_KICK, u64(0n), [dup(kick)])).toBe(0n);
    await backend.send(Request.SET_VRING_ENABLE, fields([0, 1], [4, 4]));

    offer();
    await vi.waitFor(() => expect(usedIndex()).toBe(1));
    await backend.send(Request.SET_VRING_ENABLE, fields([0, 0], [4, 4]));
    offer();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(usedIndex()).toBe(1);
    expect(backend.counts.reads).toBe(1);

    await backend.send(Request.SET_VRING_ENABLE, fields([0, 1], [4, 4]));
    await vi.waitFor(() => expect(usedIndex()).toBe(2));
    await backend.send(Request.SET_VRING_ENABLE, fields([0, 0], [4, 4]));
    offer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // GET_VRING_BASE's reply: u32 index 0, u32 the next available index to take.
    const state = await backend.send(Request.GET_VRING_BASE, fields([0, 0], [4, 4]));
    expect(Number((state ?? 0n) >> 32n)).toBe(2);
    expect(backend.counts.reads).toBe(2);
    await backend.shutdown();
    closeSync(guest);
    closeSync(kick);
  });
});
