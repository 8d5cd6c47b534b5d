import { link, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest, expectToolOk } from '../test-support/integrationFixtures.js';
import {
  createDifferencingDisk,
  createDynamicDisk,
  mergeDisk,
  nodeFileStore,
  openDisk,
  type FileStore,
  type MergeOptions,
} from '../index.js';
import { makeTempDir, requireTools, run } from '../test-support/externalTools.js';
import { loopXfs } from '../test-support/loopXfs.js';
import { MiB, pattern, ReferenceDisk } from '../test-support/patterns.js';
import { writeFile } from 'node:fs/promises';

const SIZE = 40 * MiB;
/** Bytes of whole blocks the child holds (the part a merge can clone). */
const WHOLE_BYTES = 24 * MiB;

/** base <- child: the child has 24 whole 1 MiB blocks, partial blocks and one ZERO block. */
async function buildChain(store: FileStore, dir: string): Promise<string> {
  const ref = new ReferenceDisk(SIZE);
  const write = async (path: string, writes: [number, number, number][]): Promise<void> => {
    const d = await openDisk(store, path, { writable: true });
    for (const [off, len, seed] of writes) {
      const p = pattern(len, seed);
      await d.write(p, off);
      ref.write(p, off);
    }
    await d.close();
  };
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: SIZE, blockSize: MiB });
  await write('base.vhdx', [
    [0, 6 * MiB, 1],
    [30 * MiB, 2 * MiB, 2],
  ]);
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  await write('child.avhdx', [
    [2 * MiB, WHOLE_BYTES, 3], // whole blocks, half of them over parent data
    [333, 5000, 4], // sectors of a block over parent data
    [28 * MiB + 4096, 12_800, 5], // sectors of a block the parent does not have
    [31 * MiB, 512, 6],
  ]);
  const raw = join(dir, 'expected.raw');
  await writeFile(raw, ref.bytes);
  return raw;
}

async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** The merged parent is sound and reads as the chain did, by tools we did not write. */
function expectMergedBytes(dir: string, raw: string): void {
  const base = join(dir, 'base.vhdx');
  expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', base]), 'qemu-img check');
  expectToolOk(
    run('qemu-img', ['compare', '-f', 'vhdx', '-F', 'raw', base, raw]),
    'qemu-img compare',
  );
  expectToolOk(run('7zz', ['t', '-tvhdx', base]), '7zz t');
}

/** The same store without kernel copies or cloning: the merge copies through this process. */
function plainStore(inner: FileStore): FileStore {
  return {
    ...inner,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      return {
        read: (b, p) => h.read(b, p),
        write: (b, p) => h.write(b, p),
        size: () => h.size(),
        truncate: (n) => h.truncate(n),
        sync: () => h.sync(),
        close: () => h.close(),
      };
    },
  };
}

describe('merges that share blocks where the file system can', () => {
  it('on XFS with reflink the whole blocks are cloned, not copied, and the parent reads as the chain did', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz');
    const xfs = await loopXfs(512 * MiB);
    if ('skip' in xfs) {
      ctx.skip(`block cloning not checked: ${xfs.skip}`);
      return;
    }
    afterThisTest(xfs.cleanup);
    for (const blockCloning of [true, false]) {
      const dir = join(xfs.mount, String(blockCloning));
      const store = nodeFileStore(xfs.mount);
      await store.mkdirp(String(blockCloning));
      const raw = await buildChain(nodeFileStore(dir), dir);
      // A second name keeps the child's blocks after the merge deletes it, so that shared blocks
      // and copied blocks show in the free space. It lies in another folder: beside the parent it
      // would read as the parent's other child, which mergeDisk refuses to merge into.
      await store.mkdirp(`${String(blockCloning)}-kept`);
      await link(join(dir, 'child.avhdx'), join(`${dir}-kept`, 'kept.avhdx'));
      const before = await freeBytes(dir);
      await mergeDisk(nodeFileStore(dir), 'child.avhdx', { blockCloning });
      const used = before - (await freeBytes(dir));
      expectMergedBytes(dir, raw);
      if (blockCloning) expect(used, 'bytes the merge allocated').toBeLessThan(WHOLE_BYTES / 4);
      else expect(used, 'bytes the merge allocated').toBeGreaterThan(WHOLE_BYTES / 2);
    }
  });

  const ways: [string, (s: FileStore) => FileStore, MergeOptions][] = [
    ['the store as it is (kernel copy where there is no cloning)', (s) => s, {}],
    ['block cloning turned off (copies through this process)', (s) => s, { blockCloning: false }],
    ['a store that offers neither cloning nor kernel copies', plainStore, {}],
    ['a bytes-per-second limit', (s) => s, { bytesPerSecond: 1024 * MiB }],
  ];
  for (const [name, storeOf, options] of ways) {
    it(`falls back to copying with identical bytes: ${name}`, async (ctx) => {
      requireTools(ctx, 'qemu-img', '7zz');
      const { dir, cleanup } = await makeTempDir();
      afterThisTest(cleanup);
      const raw = await buildChain(nodeFileStore(dir), dir);
      await mergeDisk(storeOf(nodeFileStore(dir)), 'child.avhdx', options);
      expectMergedBytes(dir, raw);
    });
  }
});
