import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  nodeFileStore,
  openDisk,
  type FileStore,
} from '../index.js';
import { DEFAULT_LOG_LENGTH, DEFAULT_LOG_OFFSET } from '../format/constants.js';
import { countingStore } from '../test-support/countingStore.js';
import { requireTools, run } from '../test-support/externalTools.js';
import { expectToolOk, tempStore } from '../test-support/integrationFixtures.js';
import { firstDifference, MiB, pattern } from '../test-support/patterns.js';

/** Guest-like writes: whole blocks, block boundaries, sectors here and there, an unaligned one. */
const WRITES: readonly (readonly [number, number])[] = [
  [0, MiB],
  [MiB + 4096, 64 * 1024],
  [2 * MiB - 8192, 16 * 1024],
  [3 * MiB + 512, 1536],
  [4 * MiB, 2 * MiB],
  [MiB + 4096, 4096],
  [6 * MiB + 100, 5000],
  [7 * MiB + 3 * 4096, 4096],
];

/** `data` cut into pieces of the given sizes, over and over, each a copy in its own memory. */
function cut(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < data.length; i += 1) {
    const size = Math.min(sizes[i % sizes.length] ?? 4096, data.length - at);
    out.push(data.slice(at, at + size));
    at += size;
  }
  return out;
}

/**
 * The same writes made to `plain` with `write` and to `vectored` with `writeSegments`, flushing
 * after every other one (so that later writes go over blocks already allocated, in place).
 */
async function writeTwins(
  store: FileStore,
  plain: string,
  vectored: string,
  servedToGuest: boolean,
): Promise<void> {
  const a = await openDisk(store, plain, { writable: true, servedToGuest });
  const b = await openDisk(store, vectored, { writable: true, servedToGuest });
  for (const [i, [offset, length]] of WRITES.entries()) {
    const data = pattern(length, 10 + i);
    await a.write(data, offset);
    await b.writeSegments(cut(data, [4096, 512, 1000]), offset);
    if (i % 2 === 1) {
      await a.flush();
      await b.flush();
    }
  }
  // Again over what is now allocated: data in place.
  for (const [i, [offset, length]] of WRITES.entries()) {
    const data = pattern(length, 30 + i);
    await a.write(data, offset);
    await b.writeSegments(cut(data, [4096]), offset);
  }
  await a.close();
  await b.close();
}

/** Everything after the header section and the log (whose GUIDs are new each session). */
async function afterLog(dir: string, name: string): Promise<Uint8Array> {
  return (await readFile(join(dir, name))).subarray(DEFAULT_LOG_OFFSET + DEFAULT_LOG_LENGTH);
}

describe('vectored writes (writeSegments)', () => {
  it('leave a dynamic disk byte for byte as writes of the gathered bytes do; qemu-img agrees', async (ctx) => {
    requireTools(ctx, 'qemu-img');
    const { dir, store } = await tempStore();
    await createDynamicDisk(store, 'plain.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    // Twins: the same file (the same disk id), so that only what the writes do may differ.
    await copyFile(join(dir, 'plain.vhdx'), join(dir, 'vectored.vhdx'));
    await writeTwins(store, 'plain.vhdx', 'vectored.vhdx', true);
    const [plain, vectored] = [
      await afterLog(dir, 'plain.vhdx'),
      await afterLog(dir, 'vectored.vhdx'),
    ];
    expect(vectored.length).toBe(plain.length);
    expect(firstDifference(vectored, plain)).toBe(-1);
    for (const f of ['plain.vhdx', 'vectored.vhdx'])
      expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, f)]), `qemu-img check ${f}`);
    const compare = ['compare', '-f', 'vhdx', '-F', 'vhdx', join(dir, 'plain.vhdx')];
    expectToolOk(run('qemu-img', [...compare, join(dir, 'vectored.vhdx')]), 'qemu-img compare');
  });

  it.each([
    ['served to a guest (on the spot)', true],
    ['not served (through the thread pool)', false],
  ])(
    'leave a differencing disk (sector bitmaps, partially present blocks) as plain writes do, %s',
    async (_, servedToGuest) => {
      const { dir, store } = await tempStore();
      await createDynamicDisk(store, 'base.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
      const base = await openDisk(store, 'base.vhdx', { writable: true });
      await base.write(pattern(8 * MiB, 1), 0);
      await base.close();
      await createDifferencingDisk(store, 'plain.avhdx', 'base.vhdx');
      await copyFile(join(dir, 'plain.avhdx'), join(dir, 'vectored.avhdx'));
      await writeTwins(store, 'plain.avhdx', 'vectored.avhdx', servedToGuest);
      const [plain, vectored] = [
        await afterLog(dir, 'plain.avhdx'),
        await afterLog(dir, 'vectored.avhdx'),
      ];
      expect(firstDifference(vectored, plain)).toBe(-1);
      const a = await openDisk(store, 'plain.avhdx');
      const b = await openDisk(store, 'vectored.avhdx');
      const [x, y] = [new Uint8Array(8 * MiB), new Uint8Array(8 * MiB)];
      await a.read(x, 0);
      await b.read(y, 0);
      expect(firstDifference(y, x)).toBe(-1);
      await a.close();
      await b.close();
    },
  );

  it("make one pwritev per block's range, and a guest's in-place write does not let the loop turn", async () => {
    const { dir } = await tempStore();
    const { store, counts } = countingStore(nodeFileStore(dir));
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    const disk = await openDisk(store, 'd.vhdx', { writable: true, servedToGuest: true });
    await disk.write(pattern(2 * MiB, 1), 0);
    await disk.flush();
    counts.reset();
    let turned = false;
    const immediate = setImmediate(() => (turned = true));
    await disk.writeSegments(cut(pattern(MiB, 2), [4096]), 0);
    clearImmediate(immediate);
    expect(turned).toBe(false);
    expect(counts.calls.get('d.vhdx')).toMatchObject({ writev: 1, write: 0 });
    // Across the boundary of two blocks (one range each, as the plain write makes).
    counts.reset();
    await disk.writeSegments(cut(pattern(MiB, 3), [4096]), MiB / 2);
    expect(counts.calls.get('d.vhdx')).toMatchObject({ writev: 2, write: 0 });
    const back = new Uint8Array(MiB);
    await disk.read(back, MiB / 2);
    expect(firstDifference(back, pattern(MiB, 3))).toBe(-1);
    await disk.close();
  });
});
