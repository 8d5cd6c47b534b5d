// Requests of a running guest served at once (the NBD server answers several per connection):
// what may run beside what, and that nothing is lost when they do.
import { describe, expect, it } from 'vitest';
import { createDifferencingDisk, createDynamicDisk, memoryFileStore, openDisk } from '../index.js';
import { MetaPages } from './metaPages.js';

const MiB = 1024 * 1024;

describe('metadata pages loaded by two callers at once', () => {
  it('keeps the change the first caller made while the second was still loading the page', async () => {
    const loads: (() => void)[] = [];
    const pages = new MetaPages(
      (buffer) =>
        new Promise<void>((resolve) => {
          loads.push(() => {
            buffer.fill(1);
            resolve();
          });
        }),
      null,
    );
    const slow = pages.get(4096);
    const quick = pages.get(4096 + 8);
    loads[1]?.();
    const changed = await quick;
    changed[8] = 42;
    pages.markDirty(4096);
    loads[0]?.();
    expect((await slow)[8]).toBe(42);
    expect(pages.takeDirty()[0]?.data[8]).toBe(42);
  });
});

describe('writes that change data alone (writesInPlace)', () => {
  it('only whole sectors of blocks the file holds, after the session’s first change', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 256 * MiB });
    const disk = await openDisk(store, 'd.vhdx', { writable: true });
    await disk.write(new Uint8Array(4096).fill(1), 0);
    // Nothing else allocated yet: the first write was the session's first change.
    expect(disk.writesInPlace(0, 4096)).toBe(true);
    expect(disk.writesInPlace(512, MiB)).toBe(true);
    expect(disk.writesInPlace(100, 512)).toBe(false);
    expect(disk.writesInPlace(0, 100)).toBe(false);
    expect(disk.writesInPlace(32 * MiB, 4096)).toBe(false);
    expect(disk.writesInPlace(32 * MiB - 512, 1024)).toBe(false);
    await disk.close();
    const again = await openDisk(store, 'd.vhdx', { writable: true });
    // A new session: its first write gives the file a new DataWriteGuid first.
    expect(again.writesInPlace(0, 4096)).toBe(false);
    await again.close();
  });

  it('in-place writes and reads beside block-allocating writes and flushes lose nothing', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 256 * MiB });
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    const disk = await openDisk(store, 'child.avhdx', { writable: true });
    const block = 32 * MiB;
    await disk.write(new Uint8Array(block).fill(0xee), 0);
    const expected = new Map<number, number>();
    let queue: Promise<unknown> = Promise.resolve();
    const inTurn = (work: () => Promise<unknown>): Promise<unknown> => {
      queue = queue.then(work);
      return queue;
    };
    const requests: Promise<unknown>[] = [];
    for (let i = 0; i < 64; i++) {
      const inPlace = i * 64 * 1024;
      const value = (i % 250) + 1;
      expect(disk.writesInPlace(inPlace, 4096)).toBe(true);
      requests.push(disk.write(new Uint8Array(4096).fill(value), inPlace));
      expected.set(inPlace, value);
      // A partial write into a block the child does not hold yet: its turn, bitmap and BAT.
      const allocating = block * (1 + (i % 6)) + i * 8192;
      requests.push(inTurn(() => disk.write(new Uint8Array(512).fill(value), allocating)));
      expected.set(allocating, value);
      requests.push(disk.read(new Uint8Array(4096), block * 7 + i * 4096));
      if (i % 16 === 15) requests.push(inTurn(() => disk.flush()));
    }
    await Promise.all(requests);
    await inTurn(() => disk.flush());
    await disk.close();
    const reopened = await openDisk(store, 'child.avhdx');
    for (const [offset, value] of expected) {
      const bytes = new Uint8Array(512);
      await reopened.read(bytes, offset);
      expect(bytes.every((b) => b === value)).toBe(true);
    }
    const untouched = new Uint8Array(512);
    await reopened.read(untouched, 64 * 1024 + 4096);
    expect(untouched.every((b) => b === 0xee)).toBe(true);
    await reopened.close();
  });
});
