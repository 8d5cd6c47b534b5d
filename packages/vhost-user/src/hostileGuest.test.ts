/**
 * A hostile guest's rings: addresses outside every region, lengths that overflow, chains that
 * loop or exceed the queue, sectors past the capacity, short headers, no status byte. The back
 * end never throws and never touches memory outside the region: it fails the request where a
 * status byte exists, and otherwise marks the queue broken and stops processing it.
 */
import { describe, expect, it, vi } from 'vitest';
import { GuestMemory } from './guestMemory.js';
import { BlkStatus, BlkType, DESC_F_INDIRECT, DESC_F_NEXT, DESC_F_WRITE } from './protocol.js';
import {
  DATA_AT,
  GUEST_BASE,
  MEMORY_BYTES,
  RING_SIZE,
  syntheticGuest,
  writeHeader,
} from './syntheticGuest.test-support.js';

const HEADER = GUEST_BASE + DATA_AT;
const DATA = GUEST_BASE + DATA_AT + 0x1000;
const STATUS = GUEST_BASE + DATA_AT + 0x100;
const R = DESC_F_NEXT;
const W = DESC_F_NEXT | DESC_F_WRITE;

async function served(guest: ReturnType<typeof syntheticGuest>): Promise<void> {
  expect(() => guest.worker.process()).not.toThrow();
  await guest.settle();
}

describe('a hostile guest', () => {
  it('gets IOERR for data outside every region, or with a length that runs past one', async () => {
    const guest = syntheticGuest();
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, GUEST_BASE + MEMORY_BYTES + 0x1000, 512, W, 2);
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    guest.descriptor(3, HEADER, 16, R, 4);
    guest.descriptor(4, GUEST_BASE + MEMORY_BYTES - 256, 512, W, 5);
    guest.descriptor(5, STATUS + 1, 1, DESC_F_WRITE);
    guest.descriptor(6, HEADER, 16, R, 7);
    guest.descriptor(7, 0xffff_ffff_ffff_fe00n, 0xffff_ffff, DESC_F_WRITE | DESC_F_NEXT, 2);
    guest.offer(0);
    guest.offer(3);
    guest.offer(6);
    await served(guest);
    expect([guest.at(STATUS)[0], guest.at(STATUS + 1)[0]]).toEqual([
      BlkStatus.IOERR,
      BlkStatus.IOERR,
    ]);
    expect(guest.used().index).toBe(3);
    expect(guest.counts.errors).toBe(3);
    expect(guest.worker.broken).toBe(false);
  });

  it('gets IOERR for sectors past the capacity, a short header, or a length not in sectors', async () => {
    const guest = syntheticGuest({ exportBytes: 64 * 1024 });
    writeHeader(guest, HEADER, BlkType.IN, 127);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, DATA, 1024, W, 2);
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    writeHeader(guest, HEADER + 0x40, BlkType.OUT, 0xffff_ffff_ffff_ffffn);
    guest.descriptor(3, HEADER + 0x40, 16 + 512, R, 4);
    guest.descriptor(4, STATUS + 1, 1, DESC_F_WRITE);
    guest.descriptor(5, HEADER, 15, R, 6);
    guest.descriptor(6, STATUS + 2, 1, DESC_F_WRITE);
    writeHeader(guest, HEADER + 0x80, BlkType.IN, 0);
    guest.descriptor(7, HEADER + 0x80, 16, R, 1);
    guest.offer(0);
    guest.offer(3);
    guest.offer(5);
    await served(guest);
    expect([0, 1, 2].map((n) => guest.at(STATUS + n)[0])).toEqual([
      BlkStatus.IOERR,
      BlkStatus.IOERR,
      BlkStatus.IOERR,
    ]);
    guest.descriptor(1, DATA, 100, W, 2);
    guest.offer(7);
    await served(guest);
    expect(guest.at(STATUS)[0]).toBe(BlkStatus.IOERR);
    expect(guest.counts.reads + guest.counts.writes).toBe(0);
  });

  it('breaks the queue on a chain that loops, and processes nothing after it', async () => {
    const guest = syntheticGuest();
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, DATA, 512, W, 0);
    guest.offer(0);
    await served(guest);
    expect(guest.worker.broken).toBe(true);
    expect(guest.logs.join('\n')).toMatch(/longer than the queue/);
    guest.descriptor(2, HEADER, 16, R, 3);
    guest.descriptor(3, STATUS, 1, DESC_F_WRITE);
    guest.offer(2);
    await served(guest);
    expect(guest.used().index).toBe(0);
  });

  it('breaks the queue on a chain without a status byte, a head beyond the queue, or an avail index too far ahead', async () => {
    const noStatus = syntheticGuest();
    writeHeader(noStatus, HEADER, BlkType.IN, 0);
    noStatus.descriptor(0, HEADER, 16, 0);
    noStatus.offer(0);
    await served(noStatus);
    expect(noStatus.worker.broken).toBe(true);
    expect(noStatus.used().index).toBe(0);

    const badHead = syntheticGuest();
    badHead.offer(RING_SIZE + 3);
    await served(badHead);
    expect(badHead.worker.broken).toBe(true);

    const farAhead = syntheticGuest();
    farAhead.setAvailIndex(RING_SIZE + 1);
    await served(farAhead);
    expect(farAhead.worker.broken).toBe(true);
    expect(farAhead.logs).toHaveLength(1);
  });

  it('breaks the queue on bad indirect tables: nested, with NEXT, outside memory, too long, or a next index past the table', async () => {
    const table = GUEST_BASE + DATA_AT + 0x3000;
    const cases: ((guest: ReturnType<typeof syntheticGuest>) => void)[] = [
      (guest) => {
        guest.descriptor(0, table, 16, DESC_F_INDIRECT, 0, table);
        guest.descriptor(0, table, 16, DESC_F_INDIRECT);
      },
      (guest) => guest.descriptor(0, table, 16, DESC_F_INDIRECT | DESC_F_NEXT, 1),
      (guest) => guest.descriptor(0, GUEST_BASE + MEMORY_BYTES, 32, DESC_F_INDIRECT),
      (guest) => guest.descriptor(0, table, 16 * (RING_SIZE + 1), DESC_F_INDIRECT),
      (guest) => guest.descriptor(0, table, 17, DESC_F_INDIRECT),
      (guest) => {
        guest.descriptor(0, HEADER, 16, R, 5, table);
        guest.descriptor(0, table, 32, DESC_F_INDIRECT);
      },
    ];
    for (const arrange of cases) {
      const guest = syntheticGuest();
      writeHeader(guest, HEADER, BlkType.IN, 0);
      arrange(guest);
      guest.offer(0);
      await served(guest);
      expect(guest.worker.broken).toBe(true);
      expect(guest.used().index).toBe(0);
    }
  });

  it('finds guest memory only inside one region, whatever the address or length', () => {
    const bytes = new Uint8Array(4096);
    const memory = new GuestMemory([
      { guestPhysicalAddress: 0x1000, sizeBytes: 4096, userAddress: 0x9000, bytes },
    ]);
    expect(memory.guest(0x1000, 4096)?.length).toBe(4096);
    expect(memory.guest(0x2000, 0)?.length).toBe(0);
    expect(memory.guest(0x1fff, 2)).toBeNull();
    expect(memory.guest(0xfff, 1)).toBeNull();
    expect(memory.guest(0x1000, -1)).toBeNull();
    expect(memory.guest(-1, 1)).toBeNull();
    expect(memory.guest(Number.MAX_SAFE_INTEGER, 1)).toBeNull();
    expect(memory.guest(0x1000, 2 ** 60)).toBeNull();
    expect(memory.user(0x9000, 16)?.length).toBe(16);
    expect(memory.user(0x1000, 16)).toBeNull();
  });

  it('fails a request with IOERR when the export fails, and counts it', async () => {
    const guest = syntheticGuest();
    guest.blockExport.write = () => Promise.reject(new Error('the disk is gone'));
    writeHeader(guest, HEADER, BlkType.OUT, 0);
    guest.descriptor(0, HEADER, 16 + 512, R, 1);
    guest.descriptor(1, STATUS, 1, DESC_F_WRITE);
    guest.offer(0);
    await served(guest);
    expect(guest.at(STATUS)[0]).toBe(BlkStatus.IOERR);
    expect(guest.counts.errors).toBe(1);
    expect(guest.used().elements).toEqual([{ id: 0, length: 1 }]);
  });

  it('has at most a queue of requests under way, even when it offers heads still in use', async () => {
    // A driver must not offer a descriptor the device still uses (virtio 1.2 §2.7.13); a
    // hostile one offers head 0 again and again, each time the avail index allows.
    const guest = syntheticGuest();
    const held: (() => void)[] = [];
    const original = guest.blockExport.readInto.bind(guest.blockExport);
    guest.blockExport.readInto = (offset, into) =>
      new Promise<void>((resolve) => held.push(() => void original(offset, into).then(resolve)));
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, DATA, 512, W, 2);
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    for (let round = 0; round < 2; round++) {
      for (let offer = 0; offer < RING_SIZE; offer++) guest.offer(0);
      guest.worker.process();
      await guest.settle();
    }
    expect(held).toHaveLength(RING_SIZE);
    while (guest.used().index < 2 * RING_SIZE) {
      await vi.waitFor(() =>
        expect(held.length > 0 || guest.used().index === 2 * RING_SIZE).toBe(true),
      );
      const releasing = held.splice(0);
      expect(releasing.length).toBeLessThanOrEqual(RING_SIZE);
      for (const release of releasing) release();
      await guest.settle();
    }
    expect(guest.counts.reads).toBe(2 * RING_SIZE);
    expect(guest.worker.broken).toBe(false);
  });

  it('does not hold the main thread while it keeps offering chains during one kick', async () => {
    // Another vCPU may raise the avail index while this process serves a kick: one call takes
    // at most a queue of chains, and the rest are served on a later turn of the event loop.
    const guest = syntheticGuest();
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, GUEST_BASE + MEMORY_BYTES, 512, W, 2); // outside memory: fails at once
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    let offered = 0;
    const usedAtStart = guest.used().index;
    const offerWhileServed = (): void => {
      if (offered >= 1000) return;
      offered++;
      guest.offer(0);
    };
    // Each completion (synchronous for a bad address) lets the "other vCPU" offer again.
    const worker = guest.worker as unknown as { finish: (...args: unknown[]) => void };
    const finish = worker.finish.bind(worker);
    worker.finish = (...args: unknown[]) => {
      finish(...args);
      offerWhileServed();
    };
    offerWhileServed();
    guest.worker.process();
    expect(guest.used().index - usedAtStart).toBeLessThanOrEqual(RING_SIZE);
    await vi.waitFor(() => expect(guest.used().index).toBe(1000 & 0xffff));
    expect(guest.counts.errors).toBe(1000);
  });
});
