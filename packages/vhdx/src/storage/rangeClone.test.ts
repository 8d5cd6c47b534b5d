import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/externalTools.js';
import { afterThisTest } from '../test-support/integrationFixtures.js';
import { loopXfs } from '../test-support/loopXfs.js';
import { MiB, pattern } from '../test-support/patterns.js';
import { RangeCopier, cloningKnownFor } from './rangeClone.js';

/** Two files in `dir`: a source of 4 MiB of known bytes and an empty target of the same size. */
async function pair(dir: string) {
  const data = Buffer.from(pattern(4 * MiB, 11));
  await writeFile(join(dir, 'source'), data);
  await writeFile(join(dir, 'target'), Buffer.alloc(4 * MiB));
  const source = await open(join(dir, 'source'), 'r');
  const target = await open(join(dir, 'target'), 'r+');
  const close = async (): Promise<void> => {
    await source.close();
    await target.close();
  };
  const copier = await RangeCopier.between(source.fd, target.fd);
  if (copier === null) throw new Error('no kernel copies on Linux');
  return { data, copier, close, target: join(dir, 'target'), device: (await stat(dir)).dev };
}

describe.runIf(process.platform === 'linux')('kernel copies and clones between two files', () => {
  it('copies ranges in the kernel to other offsets, byte for byte', async () => {
    const { dir, cleanup } = await makeTempDir();
    afterThisTest(cleanup);
    const { data, copier, close, target } = await pair(dir);
    afterThisTest(close);
    const done = await copier.copy([
      { from: 0, to: 2 * MiB, length: MiB },
      { from: 3 * MiB, to: 0, length: MiB },
    ]);
    await copier.close();
    expect(done).toBe(2);
    const out = await readFile(target);
    expect(out.subarray(2 * MiB, 3 * MiB).equals(data.subarray(0, MiB))).toBe(true);
    expect(out.subarray(0, MiB).equals(data.subarray(3 * MiB))).toBe(true);
    expect(out.subarray(MiB, 2 * MiB).every((b) => b === 0)).toBe(true);
  });

  it('stops at a range the source does not have and reports the ranges before it', async () => {
    const { dir, cleanup } = await makeTempDir();
    afterThisTest(cleanup);
    const { copier, close } = await pair(dir);
    afterThisTest(close);
    const done = await copier.copy([
      { from: 0, to: 0, length: MiB },
      { from: 8 * MiB, to: MiB, length: MiB },
      { from: 0, to: 2 * MiB, length: MiB },
    ]);
    expect(done).toBe(1);
  });

  it('on XFS with reflink the ranges are shared, and the device is known to clone', async (ctx) => {
    const xfs = await loopXfs(512 * MiB);
    if ('skip' in xfs) {
      ctx.skip(`block cloning not checked: ${xfs.skip}`);
      return;
    }
    afterThisTest(xfs.cleanup);
    const { data, copier, close, target, device } = await pair(xfs.mount);
    let cloned: number;
    try {
      cloned = await copier.clone([{ from: MiB, to: 0, length: 2 * MiB }]);
    } finally {
      await close();
    }
    expect(cloned).toBe(1);
    expect(cloningKnownFor(device)).toBe(true);
    const out = await readFile(target);
    expect(out.subarray(0, 2 * MiB).equals(data.subarray(MiB, 3 * MiB))).toBe(true);
  });
});
