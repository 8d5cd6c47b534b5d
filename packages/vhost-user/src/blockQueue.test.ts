import { describe, expect, it, vi } from 'vitest';
import { memoryBlockExport } from '@hvm/nbd';
import {
  BlkStatus,
  BlkType,
  DESC_F_INDIRECT,
  DESC_F_NEXT,
  DESC_F_WRITE,
  DIRTY_PAGE_BYTES,
} from './protocol.js';
import { DATA_AT, GUEST_BASE, syntheticGuest, writeHeader } from './syntheticGuest.test-support.js';

const HEADER = GUEST_BASE + DATA_AT;
const DATA = GUEST_BASE + DATA_AT + 0x1000;
const STATUS = GUEST_BASE + DATA_AT + 0x100;
const R = DESC_F_NEXT;
const W = DESC_F_NEXT | DESC_F_WRITE;

describe('virtio-blk requests on a split virtqueue', () => {
  it('reads through a plain chain: header, data, status; the used ring says the bytes written', async () => {
    const guest = syntheticGuest();
    guest.blockExport.bytes.fill(0xab, 1024, 1024 + 4096);
    writeHeader(guest, HEADER, BlkType.IN, 2);
    guest.descriptor(3, HEADER, 16, R, 5);
    guest.descriptor(5, DATA, 4096, W, 1);
    guest.descriptor(1, STATUS, 1, DESC_F_WRITE);
    guest.offer(3);
    guest.worker.process();
    await guest.settle();
    expect(
      guest
        .at(DATA)
        .subarray(0, 4096)
        .every((byte) => byte === 0xab),
    ).toBe(true);
    expect(guest.at(STATUS)[0]).toBe(BlkStatus.OK);
    expect(guest.used()).toEqual({ index: 1, elements: [{ id: 3, length: 4097 }] });
    expect(guest.notified()).toBe(1);
    expect(guest.counts.reads).toBe(1);
  });

  it('writes when header and data share one descriptor, and the status has its own', async () => {
    const guest = syntheticGuest();
    writeHeader(guest, HEADER, BlkType.OUT, 1);
    guest.at(HEADER + 16).fill(0x5a, 0, 1024);
    guest.descriptor(0, HEADER, 16 + 1024, R, 1);
    guest.descriptor(1, STATUS, 1, DESC_F_WRITE);
    guest.offer(0);
    guest.worker.process();
    await guest.settle();
    expect(guest.blockExport.bytes.subarray(512, 1536).every((byte) => byte === 0x5a)).toBe(true);
    expect(guest.blockExport.bytes[511]).toBe(0);
    expect(guest.blockExport.bytes[1536]).toBe(0);
    expect(guest.at(STATUS)[0]).toBe(BlkStatus.OK);
    expect(guest.used().elements).toEqual([{ id: 0, length: 1 }]);
  });

  it('follows an indirect table, and the data and status may share the last descriptor', async () => {
    const guest = syntheticGuest();
    guest.blockExport.bytes.fill(7, 0, 512);
    const table = GUEST_BASE + DATA_AT + 0x3000;
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1, table);
    guest.descriptor(1, DATA, 512 + 1, DESC_F_WRITE, 0, table);
    guest.descriptor(2, table, 2 * 16, DESC_F_INDIRECT);
    guest.offer(2);
    guest.worker.process();
    await guest.settle();
    expect(
      guest
        .at(DATA)
        .subarray(0, 512)
        .every((byte) => byte === 7),
    ).toBe(true);
    expect(guest.at(DATA)[512]).toBe(BlkStatus.OK);
    expect(guest.used().elements).toEqual([{ id: 2, length: 513 }]);
  });

  it('reads and writes data spread over several descriptors (bounce buffer without vectored calls)', async () => {
    const guest = syntheticGuest();
    writeHeader(guest, HEADER, BlkType.OUT, 0);
    guest.at(DATA).fill(1, 0, 512);
    guest.at(DATA + 0x2000).fill(2, 0, 1024);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, DATA, 512, R, 2);
    guest.descriptor(2, DATA + 0x2000, 1024, R, 3);
    guest.descriptor(3, STATUS, 1, DESC_F_WRITE);
    guest.offer(0);
    guest.worker.process();
    await guest.settle();
    const disk = guest.blockExport.bytes;
    expect(disk.subarray(0, 512).every((byte) => byte === 1)).toBe(true);
    expect(disk.subarray(512, 1536).every((byte) => byte === 2)).toBe(true);

    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(4, HEADER, 16, R, 5);
    guest.descriptor(5, DATA + 0x4000, 1024, W, 6);
    guest.descriptor(6, DATA + 0x6000, 512, W, 7);
    guest.descriptor(7, STATUS, 1, DESC_F_WRITE);
    guest.offer(4);
    guest.worker.process();
    await guest.settle();
    expect(
      guest
        .at(DATA + 0x4000)
        .subarray(0, 512)
        .every((byte) => byte === 1),
    ).toBe(true);
    expect(
      guest
        .at(DATA + 0x4000)
        .subarray(512, 1024)
        .every((byte) => byte === 2),
    ).toBe(true);
    expect(
      guest
        .at(DATA + 0x6000)
        .subarray(0, 512)
        .every((byte) => byte === 2),
    ).toBe(true);
    expect(guest.used().elements[1]).toEqual({ id: 4, length: 1537 });
  });

  it('hands the guest-memory pieces to readIntoSegments and writeSegments when the export has them', async () => {
    const base = memoryBlockExport(1024 * 1024);
    const calls: string[] = [];
    const blockExport = Object.assign(base, {
      readIntoSegments: (offset: number, segments: Uint8Array[]) => {
        calls.push(`read ${offset} ${segments.map((s) => s.length).join('+')}`);
        for (const segment of segments) segment.fill(9);
        return Promise.resolve();
      },
      writeSegments: (offset: number, segments: Uint8Array[], fua: boolean) => {
        calls.push(`write ${offset} ${segments.map((s) => s.length).join('+')} ${fua}`);
        return Promise.resolve();
      },
    });
    const guest = syntheticGuest({ blockExport });
    writeHeader(guest, HEADER, BlkType.OUT, 4);
    guest.descriptor(0, HEADER, 16 + 512, R, 1);
    guest.descriptor(1, DATA, 512, R, 2);
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    guest.offer(0);
    writeHeader(guest, HEADER + 0x800, BlkType.IN, 4);
    guest.descriptor(3, HEADER + 0x800, 16, R, 4);
    guest.descriptor(4, DATA + 0x1000, 512, W, 5);
    guest.descriptor(5, DATA + 0x2000, 512 + 1, DESC_F_WRITE);
    guest.offer(3);
    guest.worker.process();
    await guest.settle();
    expect(calls).toEqual(['write 2048 512+512 false', 'read 2048 512+512']);
    expect(guest.at(DATA + 0x2000)[512]).toBe(BlkStatus.OK);
  });

  it('flushes, discards, answers GET_ID, and refuses an unknown type as UNSUPP', async () => {
    const guest = syntheticGuest();
    guest.blockExport.bytes.fill(3, 0, 4096);
    const status = (n: number): number => STATUS + n;
    writeHeader(guest, HEADER, BlkType.FLUSH, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, status(0), 1, DESC_F_WRITE);
    writeHeader(guest, HEADER + 0x40, BlkType.DISCARD, 0);
    const segment = new DataView(guest.bytes.buffer, HEADER + 0x40 + 16 - GUEST_BASE, 16);
    segment.setBigUint64(0, 2n, true);
    segment.setUint32(8, 4, true);
    guest.descriptor(2, HEADER + 0x40, 32, R, 3);
    guest.descriptor(3, status(1), 1, DESC_F_WRITE);
    writeHeader(guest, HEADER + 0x80, BlkType.GET_ID, 0);
    guest.descriptor(4, HEADER + 0x80, 16, R, 5);
    guest.descriptor(5, DATA, 21, DESC_F_WRITE);
    writeHeader(guest, HEADER + 0xc0, 99, 0);
    guest.descriptor(6, HEADER + 0xc0, 16, R, 7);
    guest.descriptor(7, status(3), 1, DESC_F_WRITE);
    for (const head of [0, 2, 4, 6]) guest.offer(head);
    guest.worker.process();
    await guest.settle();
    expect(guest.counts.flushes).toBe(1);
    expect(guest.counts.discards).toBe(1);
    const disk = guest.blockExport.bytes;
    expect(disk.subarray(1024, 3072).every((byte) => byte === 0)).toBe(true);
    expect(disk[1023]).toBe(3);
    expect(disk[3072]).toBe(3);
    expect(new TextDecoder().decode(guest.at(DATA).subarray(0, 8))).toBe('serial-1');
    expect(guest.at(DATA)[20]).toBe(BlkStatus.OK);
    expect([0, 1, 3].map((n) => guest.at(status(n))[0])).toEqual([
      BlkStatus.OK,
      BlkStatus.OK,
      BlkStatus.UNSUPP,
    ]);
    // Requests complete in any order (a flush waits on the export, GET_ID does not).
    expect(guest.used().elements.sort((a, b) => a.id - b.id)).toEqual([
      { id: 0, length: 1 },
      { id: 2, length: 1 },
      { id: 4, length: 21 },
      { id: 6, length: 1 },
    ]);
  });

  it('logs exactly the pages it writes while migration wants a dirty log', async () => {
    const guest = syntheticGuest({ logging: true });
    // A read whose data straddles two pages, and a write (whose data pages are not written).
    const readData = DATA + DIRTY_PAGE_BYTES - 256;
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, readData, 512, W, 2);
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    const writeData = DATA + 0x8000;
    writeHeader(guest, HEADER + 0x40, BlkType.OUT, 0);
    guest.descriptor(3, HEADER + 0x40, 16, R, 4);
    guest.descriptor(4, writeData, 512, R, 5);
    guest.descriptor(5, STATUS + 1, 1, DESC_F_WRITE);
    guest.offer(0);
    guest.offer(3);
    guest.worker.process();
    await guest.settle();
    const dirty: number[] = [];
    guest.bitmap.forEach((byte, index) => {
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) dirty.push(index * 8 + bit);
    });
    const page = (address: number): number => Math.floor(address / DIRTY_PAGE_BYTES);
    const expected = [
      page(readData),
      page(readData + 511),
      page(STATUS),
      page(GUEST_BASE + 0x3000),
    ];
    expect(dirty).toEqual([...new Set(expected)].sort((a, b) => a - b));
    expect(dirty).not.toContain(page(writeData));
  });

  it('logs the used ring from the moment SET_VRING_ADDR turns its log on, on a started ring', async () => {
    let usedRingLogged = false;
    const guest = syntheticGuest({ logging: true, usedRingLogged: () => usedRingLogged });
    const usedPage = Math.floor((GUEST_BASE + 0x3000) / DIRTY_PAGE_BYTES);
    const usedPageLogged = (): boolean =>
      ((guest.bitmap[Math.floor(usedPage / 8)] ?? 0) & (1 << (usedPage % 8))) !== 0;
    writeHeader(guest, HEADER, BlkType.FLUSH, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, STATUS, 1, DESC_F_WRITE);
    guest.offer(0);
    guest.worker.process();
    await guest.settle();
    expect(usedPageLogged()).toBe(false);
    usedRingLogged = true;
    guest.offer(0);
    guest.worker.process();
    await guest.settle();
    expect(usedPageLogged()).toBe(true);
  });

  it('logs the pages a failed read may have written, so migration copies them', async () => {
    // The export wrote part of the data into guest memory, then failed: the guest gets IOERR,
    // but its memory here changed, and the destination must get the same bytes.
    const guest = syntheticGuest({ logging: true });
    guest.blockExport.readInto = (_offset, into) => {
      into.fill(0x77, 0, 16);
      return Promise.reject(new Error('the disk is gone'));
    };
    const readData = DATA + 3 * DIRTY_PAGE_BYTES;
    writeHeader(guest, HEADER, BlkType.IN, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.descriptor(1, readData, 512, W, 2);
    guest.descriptor(2, STATUS, 1, DESC_F_WRITE);
    guest.offer(0);
    guest.worker.process();
    await guest.settle();
    expect(guest.at(STATUS)[0]).toBe(BlkStatus.IOERR);
    expect(guest.at(readData)[0]).toBe(0x77);
    const page = Math.floor(readData / DIRTY_PAGE_BYTES);
    expect((guest.bitmap[Math.floor(page / 8)] ?? 0) & (1 << (page % 8))).not.toBe(0);
  });

  it('moves a request of many pieces longer than a bounce buffer in chunks, intact', async () => {
    const guest = syntheticGuest({ exportBytes: 8 * 1024 * 1024 });
    const piece = 768 * 1024;
    const pieces = 6; // 4.5 MiB in all, past BOUNCE_CHUNK_BYTES (4 MiB)
    guest
      .at(DATA)
      .subarray(0, piece)
      .forEach((_, index, bytes) => (bytes[index] = index % 251));
    writeHeader(guest, HEADER, BlkType.OUT, 0);
    guest.descriptor(0, HEADER, 16, R, 1);
    const table = GUEST_BASE + DATA_AT + 0x800;
    for (let index = 0; index < pieces; index++)
      guest.descriptor(index, DATA, piece, R, index + 1, table);
    guest.descriptor(pieces, STATUS, 1, DESC_F_WRITE, 0, table);
    guest.descriptor(1, table, (pieces + 1) * 16, DESC_F_INDIRECT);
    guest.descriptor(0, HEADER, 16, R, 1);
    guest.offer(0);
    guest.worker.process();
    await vi.waitFor(() => expect(guest.used().index).toBe(1));
    expect(guest.at(STATUS)[0]).toBe(BlkStatus.OK);
    const disk = guest.blockExport.bytes;
    const written = Buffer.from(guest.at(DATA).subarray(0, piece));
    for (let index = 0; index < pieces; index++)
      expect(
        written.equals(disk.subarray(index * piece, (index + 1) * piece)),
        `piece ${index}`,
      ).toBe(true);
    expect(disk[pieces * piece]).toBe(0);
  });
});
