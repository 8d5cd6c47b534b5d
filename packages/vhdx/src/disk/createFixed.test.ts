import { describe, expect, it } from 'vitest';
import { createFixedDisk, inspectDisk, memoryFileStore, openDisk } from '../index.js';
import { MiB } from '../test-support/patterns.js';

describe('createFixedDisk with zeroFill (New-VHD -Fixed)', () => {
  it('writes zeros over every block, reporting the fraction done as it goes', async () => {
    const store = memoryFileStore();
    const fractions: number[] = [];
    await createFixedDisk(store, 'f.vhdx', {
      virtualSize: 4 * MiB,
      blockSize: MiB,
      zeroFill: true,
      onProgress: (f) => fractions.push(f),
    });
    expect(fractions).toEqual([0.25, 0.5, 0.75, 1]);
    const info = await inspectDisk(store, 'f.vhdx');
    expect(info).toMatchObject({ type: 'Fixed', virtualSize: 4 * MiB });
    expect((await store.stat('f.vhdx')).size).toBeGreaterThanOrEqual(4 * MiB);
    const disk = await openDisk(store, 'f.vhdx');
    try {
      const all = new Uint8Array(4 * MiB);
      await disk.read(all, 0);
      expect(all.every((b) => b === 0)).toBe(true);
    } finally {
      await disk.close();
    }
  });

  it('reports nothing without zeroFill (the blocks are left sparse)', async () => {
    const store = memoryFileStore();
    const fractions: number[] = [];
    await createFixedDisk(store, 'f.vhdx', {
      virtualSize: 4 * MiB,
      blockSize: MiB,
      onProgress: (f) => fractions.push(f),
    });
    expect(fractions).toEqual([]);
  });
});
