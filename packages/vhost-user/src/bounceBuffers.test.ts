/**
 * The bounce buffers of requests in several pieces (an export without vectored calls): a guest
 * may offer a whole queue of such requests at once, and a slow disk keeps them all under way.
 * The memory they take must stay bounded whatever the guest offers.
 */
import { memoryBlockExport } from '@hvm/nbd';
import { describe, expect, it, vi } from 'vitest';
import { BlockRequestHandler, MAX_BOUNCE_BUFFERS } from './blockRequests.js';
import { BlkStatus, BlkType } from './protocol.js';
import type { Segment } from './virtqueue.js';

function header(type: number, sector: number): Segment {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setBigUint64(8, BigInt(sector), true);
  return { guestAddress: 0x1000, bytes, writable: false };
}

describe('bounce buffers', () => {
  it('stay bounded in number while many requests in pieces wait on a slow disk, and all complete', async () => {
    const disk = memoryBlockExport(1024 * 1024);
    disk.bytes.fill(0x5a);
    const held: { into: Uint8Array; release: () => void }[] = [];
    const slow = {
      ...disk,
      readInto: (offset: number, into: Uint8Array): Promise<void> =>
        new Promise<void>((resolve) => {
          held.push({
            into,
            release: () => {
              into.set(disk.bytes.subarray(offset, offset + into.length));
              resolve();
            },
          });
        }),
    };
    const counts = { reads: 0, writes: 0, flushes: 0, discards: 0, errors: 0 };
    const handler = new BlockRequestHandler(slow, counts, new Uint8Array(0));
    const requests = 64;
    const targets = Array.from({ length: requests }, () => new Uint8Array(1024));
    const outcomes = targets.map((target, index) =>
      handler.serve(
        [header(BlkType.IN, index * 2)],
        [
          { guestAddress: 0x2000, bytes: target.subarray(0, 512), writable: true },
          { guestAddress: 0x3000, bytes: target.subarray(512), writable: true },
        ],
      ),
    );
    await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Each bounce buffer is BOUNCE_CHUNK_BYTES (4 MiB): 64 at once would be 256 MiB.
    expect(new Set(held.map((call) => call.into.buffer)).size).toBeLessThanOrEqual(
      MAX_BOUNCE_BUFFERS,
    );
    while (counts.reads < requests) {
      for (const call of held.splice(0)) call.release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    for (const outcome of await Promise.all(outcomes)) expect(outcome.status).toBe(BlkStatus.OK);
    for (const target of targets) expect(target.every((byte) => byte === 0x5a)).toBe(true);
  });
});
