import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  flattenDisk,
  inspectDisk,
  memoryFileStore,
  openDisk,
  VhdxError,
} from '../index.js';
import { firstDifference, MiB, pattern, readAll } from '../test-support/patterns.js';

async function write(
  store: ReturnType<typeof memoryFileStore>,
  path: string,
  data: Uint8Array,
  at: number,
) {
  const disk = await openDisk(store, path, { writable: true });
  await disk.write(data, at);
  await disk.flush();
  await disk.close();
}

describe('flattenDisk', () => {
  it("writes one standalone dynamic disk with what the chain's top shows, sparse", async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 16 * MiB, blockSize: MiB });
    await write(store, 'base.vhdx', pattern(MiB, 1), 0);
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    await write(store, 'child.avhdx', pattern(4096, 2), 512);
    await write(store, 'child.avhdx', pattern(MiB, 3), 8 * MiB);
    const fractions: number[] = [];
    await flattenDisk(store, 'child.avhdx', 'flat.vhdx', { onProgress: (f) => fractions.push(f) });

    const info = await inspectDisk(store, 'flat.vhdx');
    expect(info).toMatchObject({ type: 'Dynamic', parentPath: null, virtualSize: 16 * MiB });
    expect(info.blockSize).toBe(MiB);
    // Two of sixteen blocks hold data: the rest stay unallocated (the log takes its share).
    const empty = await createDynamicDisk(store, 'empty.vhdx', {
      virtualSize: 16 * MiB,
      blockSize: MiB,
    });
    expect(info.allocatedBytes - empty.allocatedBytes).toBeLessThanOrEqual(4 * MiB);
    const flat = await openDisk(store, 'flat.vhdx');
    const top = await openDisk(store, 'child.avhdx');
    expect(firstDifference(await readAll(flat), await readAll(top))).toBe(-1);
    await flat.close();
    await top.close();
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('stops with ABORTED once its signal is aborted', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await write(store, 'base.vhdx', pattern(MiB, 1), 0);
    const stop = new AbortController();
    stop.abort();
    const error: unknown = await flattenDisk(store, 'base.vhdx', 'flat.vhdx', {
      signal: stop.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VhdxError);
    expect((error as VhdxError).code).toBe('ABORTED');
  });
});
