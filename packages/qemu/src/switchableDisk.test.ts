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
