import { memoryBlockExport } from '@hvm/nbd';
import { describe, expect, it } from 'vitest';
import { SwitchableDisk } from './switchableDisk.js';

describe('the disk export that switches files under a running guest', () => {
  it('sends writes before the switch to the old file (flushed) and after it to the new one', async () => {
    const old = memoryBlockExport(4096);
    const next = memoryBlockExport(4096);
    let oldFlushes = 0;
    const flush = old.flush.bind(old);
    old.flush = () => {
      oldFlushes += 1;
      return flush();
    };
    const disk = new SwitchableDisk(old);
    const before = disk.write(0, new Uint8Array(512).fill(1), false);
    const switched = disk.switchTo(next);
    const after = disk.write(512, new Uint8Array(512).fill(2), false);
    await Promise.all([before, switched, after]);
    expect(await switched).toBe(old);
    expect(oldFlushes).toBe(1);
    expect(old.bytes[0]).toBe(1);
    expect(old.bytes[512]).toBe(0);
    expect(next.bytes[512]).toBe(2);
    expect(next.bytes[0]).toBe(0);
  });

  it('refuses a file of another size: the guest’s disk does not change size', async () => {
    const disk = new SwitchableDisk(memoryBlockExport(4096));
    await expect(disk.switchTo(memoryBlockExport(8192))).rejects.toThrow(/8192 bytes/);
    await expect(disk.read(0, 16)).resolves.toHaveLength(16);
  });
});

describe('the switch with requests in flight', () => {
  /** A memory disk whose calls wait until `open()`; counts what runs. */
  function slowDisk(): ReturnType<typeof memoryBlockExport> & { running: number; open(): void } {
    const inner = memoryBlockExport(8192);
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const disk = {
      ...inner,
      running: 0,
      open,
      write: async (offset: number, data: Uint8Array) => {
        disk.running += 1;
        await gate;
        await inner.write(offset, data, false);
        disk.running -= 1;
      },
      read: async (offset: number, length: number) => {
        disk.running += 1;
        await gate;
        disk.running -= 1;
        return inner.read(offset, length);
      },
    };
    return disk;
  }

  it('passes several requests at once, and the switch waits for every one sent before it', async () => {
    const old = slowDisk();
    const next = memoryBlockExport(8192);
    const disk = new SwitchableDisk(old);
    const writes = [0, 1, 2, 3].map((i) =>
      disk.write(i * 1024, new Uint8Array(1024).fill(i + 1), false),
    );
    const read = disk.read(0, 16);
    expect(old.running).toBe(5);
    let switched = false;
    const switching = disk.switchTo(next).then((previous) => {
      switched = true;
      return previous;
    });
    const after = disk.write(4096, new Uint8Array(512).fill(9), false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(switched).toBe(false);
    expect(next.bytes[4096]).toBe(0);
    old.open();
    await Promise.all([...writes, read, after]);
    expect(await switching).toBe(old);
    for (let i = 0; i < 4; i++) expect(old.bytes[i * 1024]).toBe(i + 1);
    expect(old.bytes[4096]).toBe(0);
    expect(next.bytes[4096]).toBe(9);
    expect(next.bytes[0]).toBe(0);
  });
});

describe('vectored requests (readIntoSegments, writeSegments)', () => {
  const segmentsOf = (...sizes: number[]): Uint8Array[] => sizes.map((n) => new Uint8Array(n));

  it("go to the disk's own vectored methods, with the very segments given", async () => {
    const inner = memoryBlockExport(8192);
    const seen: Uint8Array[][] = [];
    const disk = new SwitchableDisk({
      ...inner,
      readIntoSegments: async (offset, segments) => {
        seen.push(segments);
        let at = offset;
        for (const s of segments) {
          await inner.readInto(at, s);
          at += s.length;
        }
      },
      writeSegments: async (offset, segments, fua) => {
        seen.push(segments);
        await inner.write(offset, Buffer.concat(segments), fua);
      },
    });
    const out = segmentsOf(512, 1024);
    const data = [new Uint8Array(512).fill(1), new Uint8Array(1024).fill(2)];
    await disk.writeSegments(512, data, false);
    await disk.readIntoSegments(512, out);
    expect(seen).toEqual([data, out]);
    expect(seen[0]?.[0]).toBe(data[0]);
    expect(seen[1]?.[1]).toBe(out[1]);
    expect(out[0]?.every((b) => b === 1) && out[1]?.every((b) => b === 2)).toBe(true);
  });

  it('fall back to one read and one gathered write on a disk without them (a request stays one)', async () => {
    const inner = memoryBlockExport(8192);
    const writes: { offset: number; length: number }[] = [];
    const reads: { offset: number; length: number }[] = [];
    const disk = new SwitchableDisk({
      ...inner,
      write: (offset, data, fua) => {
        writes.push({ offset, length: data.length });
        return inner.write(offset, data, fua);
      },
      readInto: (offset, into) => {
        reads.push({ offset, length: into.length });
        return inner.readInto(offset, into);
      },
    });
    const data = [new Uint8Array(512).fill(3), new Uint8Array(4096).fill(4), new Uint8Array(7)];
    await disk.writeSegments(1000, data, true);
    expect(writes).toEqual([{ offset: 1000, length: 4615 }]);
    const out = segmentsOf(100, 4412, 103);
    await disk.readIntoSegments(1000, out);
    expect(Buffer.concat(out).equals(Buffer.concat(data))).toBe(true);
    expect(reads).toEqual([{ offset: 1000, length: 4615 }]);
  });

  it('wait for a switch, as every request does, and go to the disk served after it', async () => {
    const old = memoryBlockExport(4096);
    const next = memoryBlockExport(4096);
    const disk = new SwitchableDisk(old);
    const switching = disk.switchTo(next);
    await disk.writeSegments(0, [new Uint8Array(512).fill(5)], false);
    await switching;
    expect(next.bytes[0]).toBe(5);
    expect(old.bytes[0]).toBe(0);
  });
});
