import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  inspectDisk,
  memoryFileStore,
  openDisk,
  reparentDisk,
  type FileStore,
} from '../index.js';
import {
  faultyStore,
  restoreStore,
  SimulatedCrash,
  snapshotStore,
} from '../test-support/faultyStore.js';
import { MiB, pattern } from '../test-support/patterns.js';
import { openChain } from './chain.js';

/**
 * Byte budgets to stop at: around every 4 KiB boundary (each of our writes is a 4 KiB multiple,
 * so these cut before, at and just after every write and sector) and one
 * pseudo-random byte in each 4 KiB.
 */
function cutPoints(total: number): number[] {
  const out = new Set<number>();
  let x = 12345;
  for (let k = 0; k <= total; k += 4096) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    for (const d of [-1, 0, 1, 2 + (x % 4090)]) out.add(k + d);
  }
  return [...out].filter((n) => n >= 0 && n < total).sort((a, b) => a - b);
}

async function tornRuns(
  initial: Map<string, Uint8Array>,
  update: (store: FileStore) => Promise<void>,
  check: (store: FileStore, cut: number) => Promise<void>,
): Promise<number> {
  const probe = faultyStore(await restoreStore(initial));
  await update(probe);
  const cuts = cutPoints(probe.bytes);
  for (const cut of cuts) {
    const inner = await restoreStore(initial);
    await expect(update(faultyStore(inner, { bytes: cut })), `cut at ${cut}`).rejects.toThrow(
      SimulatedCrash,
    );
    await check(inner, cut);
  }
  return cuts.length;
}

async function read(
  store: FileStore,
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const d = await openDisk(store, path);
  try {
    const b = new Uint8Array(length);
    await d.read(b, offset);
    return b;
  } finally {
    await d.close();
  }
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

describe('torn updates', () => {
  it('a parent locator rewrite cut after any byte leaves the old or the new locator', async () => {
    const store = memoryFileStore();
    await createDynamicDisk(store, 'a.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await createDynamicDisk(store, 'b.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    await createDifferencingDisk(store, 'c.avhdx', 'a.vhdx');
    const d = await openDisk(store, 'c.avhdx', { writable: true });
    await d.write(pattern(4096, 1), MiB);
    await d.close();
    const a = (await inspectDisk(store, 'a.vhdx')).dataWriteGuid;
    const b = (await inspectDisk(store, 'b.vhdx')).dataWriteGuid;
    const outcomes = new Set<string>();
    const runs = await tornRuns(
      await snapshotStore(store),
      (s) => reparentDisk(s, 'c.avhdx', 'b.vhdx'),
      async (s, cut) => {
        for (const writable of [false, true]) {
          const info = await inspectDisk(s, 'c.avhdx');
          const pair = `${info.parentPath} ${info.parentLinkage}`;
          expect([`a.vhdx {${a}}`, `b.vhdx {${b}}`], `cut at ${cut}`).toContain(pair);
          outcomes.add(pair);
          expect(same(await read(s, 'c.avhdx', MiB, 4096), pattern(4096, 1))).toBe(true);
          // A writable open replays the log in place; the result must be the same.
          if (!writable) await (await openDisk(s, 'c.avhdx', { writable: true })).close();
        }
      },
    );
    expect(runs).toBeGreaterThan(30);
    expect(outcomes.size).toBe(2);
  });

  for (const kind of ['dynamic', 'differencing'] as const) {
    it(`a ${kind} block allocation cut after any byte reads as the old or the new sectors`, async () => {
      const store = memoryFileStore();
      await createDynamicDisk(store, 'base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
      const old = pattern(MiB, 9);
      let disk = await openDisk(store, 'base.vhdx', { writable: true });
      await disk.write(old, 2 * MiB);
      await disk.close();
      let path = 'base.vhdx';
      if (kind === 'differencing') {
        await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
        path = 'child.avhdx';
      }
      const before = kind === 'dynamic' ? new Uint8Array(1536) : old.subarray(4096, 4096 + 1536);
      const at = kind === 'dynamic' ? 5 * MiB + 4096 : 2 * MiB + 4096;
      const fresh = pattern(1536, 10);
      const outcomes = new Set<string>();
      await tornRuns(
        await snapshotStore(store),
        async (s) => {
          const d = await openDisk(s, path, { writable: true });
          await d.write(fresh, at);
          await d.close();
        },
        async (s, cut) => {
          const got = await read(s, path, at, 1536);
          for (let sector = 0; sector < 3; sector++) {
            const g = got.subarray(sector * 512, sector * 512 + 512);
            const isOld = same(g, before.subarray(sector * 512, sector * 512 + 512));
            const isNew = same(g, fresh.subarray(sector * 512, sector * 512 + 512));
            expect(isOld || isNew, `cut at ${cut}, sector ${sector}`).toBe(true);
          }
          outcomes.add(same(got, fresh) ? 'new' : same(got, before) ? 'old' : 'mixed');
          const chain = await openChain(s, path, true);
          await chain.close();
        },
      );
      expect(outcomes).toEqual(new Set(['old', 'new']));
      disk = await openDisk(store, path);
      await disk.close();
    });
  }
});
