import { describe, expect, it } from 'vitest';
import { createDynamicDisk, memoryFileStore, openDisk, type FileStore } from '../index.js';
import { MiB, pattern } from '../test-support/patterns.js';

/** A store whose writes land only after other work had a chance to run, and may fail. */
function slowStore(inner: FileStore, failAfterWrites = Infinity): FileStore {
  let writes = 0;
  return {
    ...inner,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      return {
        ...h,
        async write(buffer, position) {
          const n = ++writes;
          await new Promise((r) => setTimeout(r, n % 3));
          if (n > failAfterWrites) throw new Error('EIO: the disk went away');
          await h.write(buffer, position);
        },
      };
    },
  };
}

describe('writes through a slow, failing store', () => {
  it('read back at once, overlapping writes keep their order, and the data survives a reopen', async () => {
    const inner = memoryFileStore();
    await createDynamicDisk(inner, 'd.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    const store = slowStore(inner);
    const disk = await openDisk(store, 'd.vhdx', { writable: true });
    await disk.write(new Uint8Array(MiB), 0); // allocates the block
    const expected = new Uint8Array(MiB);
    for (let i = 0; i < 200; i++) {
      const at = ((i * 7919) % 250) * 4096;
      const data = pattern(4096, i);
      await disk.write(data, at);
      data.fill(0xee); // the caller may reuse its buffer at once
      expected.set(pattern(4096, i), at);
      const back = new Uint8Array(4096);
      await disk.read(back, at);
      expect(Buffer.compare(back, pattern(4096, i))).toBe(0);
    }
    await disk.close();
    const again = await openDisk(inner, 'd.vhdx');
    const all = new Uint8Array(MiB);
    await again.read(all, 0);
    await again.close();
    expect(Buffer.compare(all, expected)).toBe(0);
  });

  it('a write the store fails is reported, and so are later writes', async () => {
    const inner = memoryFileStore();
    await createDynamicDisk(inner, 'd.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    const disk = await openDisk(slowStore(inner, 8), 'd.vhdx', { writable: true });
    await disk.write(new Uint8Array(MiB), 0);
    let failed: unknown = null;
    try {
      for (let i = 0; i < 20; i++) await disk.write(pattern(512, i), i * 4096);
      await disk.flush();
    } catch (e) {
      failed = e;
    }
    expect(String(failed)).toMatch(/EIO/);
    await expect(disk.write(pattern(512, 1), 0)).rejects.toThrow(/EIO/);
    await disk.close().catch(() => undefined);
  });
});
