import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectToolOk, tempStore } from '../test-support/integrationFixtures.js';
import {
  createDifferencingDisk,
  createDynamicDisk,
  inspectDisk,
  mergeDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import {
  gunzipTestFile,
  HAS_TESTDATA,
  requireTools,
  run,
  TESTDATA_MISSING,
} from '../test-support/externalTools.js';
import { firstDifference, MiB, pattern, ReferenceDisk } from '../test-support/patterns.js';

async function write(
  store: FileStore,
  path: string,
  ref: ReferenceDisk,
  writes: readonly (readonly [number, number, number])[],
): Promise<void> {
  const d = await openDisk(store, path, { writable: true });
  for (const [off, len, seed] of writes) {
    const p = pattern(len, seed);
    await d.write(p, off);
    ref.write(p, off);
  }
  await d.close();
}

describe('merged disks, checked by tools we did not write', () => {
  it('merging the middle of a 3-deep chain: 7-Zip tests every file, qemu-img and 7-Zip read the merged bytes', async (ctx) => {
    requireTools(ctx, '7zz', 'qemu-img');
    const { dir, store } = await tempStore();
    const size = 24 * MiB;
    const ref = new ReferenceDisk(size);
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: size, blockSize: 2 * MiB });
    await write(store, 'base.vhdx', ref, [
      [0, 5 * MiB, 1],
      [20 * MiB, 4 * MiB, 2],
    ]);
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    await write(store, 'child.avhdx', ref, [
      [2 * MiB, 2 * MiB, 3],
      [333, 5000, 4],
      [10 * MiB + 4096, 12_800, 5],
      [21 * MiB, 512, 6],
    ]);
    const childView = ref.bytes.slice();
    await createDifferencingDisk(store, 'grandchild.avhdx', 'child.avhdx');
    await write(store, 'grandchild.avhdx', ref, [
      [MiB, 3 * MiB, 7],
      [23 * MiB + 512, 1024, 8],
    ]);
    const grandchildView = ref.bytes.slice();
    await mergeDisk(store, 'child.avhdx', { children: ['grandchild.avhdx'] });
    expect((await inspectDisk(store, 'grandchild.avhdx')).parentPath).toBe('base.vhdx');

    for (const f of ['base.vhdx', 'grandchild.avhdx'])
      expectToolOk(run('7zz', ['t', '-tvhdx', join(dir, f)]), `7zz t ${f}`);
    expectToolOk(
      run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'base.vhdx')]),
      'qemu-img check',
    );
    expectToolOk(
      run('qemu-img', [
        'convert',
        '-f',
        'vhdx',
        '-O',
        'raw',
        join(dir, 'base.vhdx'),
        join(dir, 'b.raw'),
      ]),
      'qemu-img convert',
    );
    expect(firstDifference(new Uint8Array(await readFile(join(dir, 'b.raw'))), childView)).toBe(-1);
    // qemu cannot open VHDX differencing disks; 7-Zip reads the grandchild through the base.
    const r = run('7zz', ['e', '-tvhdx', '-so', join(dir, 'grandchild.avhdx')]);
    expectToolOk(r, '7zz e grandchild');
    expect(firstDifference(new Uint8Array(r.stdout), grandchildView)).toBe(-1);
  });

  it.skipIf(!HAS_TESTDATA)(
    `merges the real Hyper-V checkpoint into its parent: the parent then reads as the chain did${HAS_TESTDATA ? '' : ` (${TESTDATA_MISSING})`}`,
    async (ctx) => {
      requireTools(ctx, '7zz', 'qemu-img');
      const { dir, store } = await tempStore();
      const parent = 'Generation 1_49C4BAF3-4B25-4406-8C4B-D39E65C32385.avhdx';
      await gunzipTestFile('differencing.avhdx.gz', dir);
      await gunzipTestFile(`${parent}.gz`, dir);
      // Blocks the child holds (documented), the stand-in parent's own blocks and a zero block.
      const blocks = [
        0, 256, 923, 1018, 1027, 1028, 1041, 1042, 1043, 1716, 1750, 1760, 1764, 1872, 1874, 1886,
        1900, 1903, 2509, 2513, 2565, 2615, 2671, 2675, 2679, 2738, 2740, 3302, 3412, 3413, 3479,
        3514, 1, 2, 4095, 3000,
      ];
      const readBlocks = async (path: string): Promise<Uint8Array[]> => {
        const d = await openDisk(store, path);
        try {
          const out: Uint8Array[] = [];
          for (const b of blocks) {
            const buf = new Uint8Array(2 * MiB);
            await d.read(buf, b * 2 * MiB);
            out.push(buf);
          }
          return out;
        } finally {
          await d.close();
        }
      };
      const chainView = await readBlocks('differencing.avhdx');
      const progress: number[] = [];
      await mergeDisk(store, 'differencing.avhdx', { onProgress: (p) => progress.push(p) });
      expect(progress[progress.length - 1]).toBe(100);
      expect(await store.exists('differencing.avhdx')).toBe(false);
      const merged = await readBlocks(parent);
      blocks.forEach((b, i) => {
        expect(
          firstDifference(merged[i] ?? new Uint8Array(), chainView[i] ?? new Uint8Array()),
          `block ${b}`,
        ).toBe(-1);
      });
      expect(chainView[blocks.length - 1]?.every((x) => x === 0)).toBe(true);
      expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, parent)]), 'qemu-img check');
      expectToolOk(run('7zz', ['t', '-tvhdx', join(dir, parent)]), '7zz t');
    },
  );
});
