import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectToolOk, tempStore } from '../test-support/integrationFixtures.js';
import { createDifferencingDisk, createDynamicDisk, openDisk, type FileStore } from '../index.js';
import { DEBIAN_PYTHON, requireTools, run } from '../test-support/externalTools.js';
import { firstDifference, MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';

/** A base disk and a 2-deep chain written by us, plus the bytes each should read as. */
async function buildChain(
  store: FileStore,
): Promise<{ base: Uint8Array; child: Uint8Array; grandchild: Uint8Array }> {
  const size = 40 * MiB;
  const ref = new ReferenceDisk(size);
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: size, blockSize: 2 * MiB });
  let d = await openDisk(store, 'base.vhdx', { writable: true });
  for (const [off, len, seed] of [
    [0, 3 * MiB, 1],
    [20 * MiB + 5, 999, 2],
    [39 * MiB, MiB, 3],
  ] as const) {
    const p = pattern(len, seed);
    await d.write(p, off);
    ref.write(p, off);
  }
  await d.close();
  const base = ref.bytes.slice();
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  d = await openDisk(store, 'child.avhdx', { writable: true });
  for (const [off, len, seed] of [
    [100, 700, 4],
    [2 * MiB, 2 * MiB, 5],
    [30 * MiB + 1, 10, 6],
  ] as const) {
    const p = pattern(len, seed);
    await d.write(p, off);
    ref.write(p, off);
  }
  await d.close();
  const child = ref.bytes.slice();
  await createDifferencingDisk(store, 'grandchild.avhdx', 'child.avhdx');
  d = await openDisk(store, 'grandchild.avhdx', { writable: true });
  for (const [off, len, seed] of [
    [512, 512, 7],
    [MiB + 3, 3 * MiB, 8],
  ] as const) {
    const p = pattern(len, seed);
    await d.write(p, off);
    ref.write(p, off);
  }
  await d.close();
  return { base, child, grandchild: ref.bytes.slice() };
}

describe('files we write, checked by tools we did not write', () => {
  it('every disk passes 7-Zip integrity test; the base passes qemu-img check', async (ctx) => {
    requireTools(ctx, '7zz', 'qemu-img');
    const { dir, store } = await tempStore();
    await buildChain(store);
    for (const f of ['base.vhdx', 'child.avhdx', 'grandchild.avhdx'])
      expectToolOk(run('7zz', ['t', '-tvhdx', join(dir, f)]), `7zz t ${f}`);
    expectToolOk(
      run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'base.vhdx')]),
      'qemu-img check',
    );
  });

  it('qemu-img, 7-Zip and libvhdi read the bytes we wrote, chains included', async (ctx) => {
    requireTools(ctx, '7zz', 'qemu-img', 'vhdiinfo', 'pyvhdi');
    const { dir, store } = await tempStore();
    const expected = await buildChain(store);
    expectToolOk(
      run('qemu-img', [
        'convert',
        '-f',
        'vhdx',
        '-O',
        'raw',
        join(dir, 'base.vhdx'),
        join(dir, 'base.raw'),
      ]),
      'convert',
    );
    expect(
      firstDifference(new Uint8Array(await readFile(join(dir, 'base.raw'))), expected.base),
    ).toBe(-1);
    for (const [f, bytes] of [
      ['base.vhdx', expected.base],
      ['child.avhdx', expected.child],
      ['grandchild.avhdx', expected.grandchild],
    ] as const) {
      const r = run('7zz', ['e', '-tvhdx', '-so', join(dir, f)]);
      expectToolOk(r, `7zz e ${f}`);
      expect(firstDifference(new Uint8Array(r.stdout), bytes), `7zz e ${f}`).toBe(-1);
    }
    const info = run('vhdiinfo', [join(dir, 'grandchild.avhdx')]).stdout.toString();
    expect(info).toMatch(/Disk type\s*: Differential/);
    expect(info).toMatch(/Media size\s*:.*\(41943040 bytes\)/);
    const script = [
      'import pyvhdi, sys',
      'd = sys.argv[1]',
      'b = pyvhdi.file(); b.open(d + "/base.vhdx")',
      'c = pyvhdi.file(); c.open(d + "/child.avhdx"); c.set_parent(b)',
      'g = pyvhdi.file(); g.open(d + "/grandchild.avhdx"); g.set_parent(c)',
      'sys.stdout.buffer.write(g.read_buffer_at_offset(g.get_media_size(), 0))',
    ].join('\n');
    await writeFile(join(dir, 'read.py'), script);
    const py = run(DEBIAN_PYTHON, [join(dir, 'read.py'), dir]);
    expectToolOk(py, 'pyvhdi');
    expect(firstDifference(new Uint8Array(py.stdout), expected.grandchild), 'pyvhdi chain').toBe(
      -1,
    );
  });

  it('reads a disk that qemu-img created and qemu-io wrote', async (ctx) => {
    requireTools(ctx, 'qemu-img', 'qemu-io');
    const { dir, store } = await tempStore();
    const file = join(dir, 'q.vhdx');
    expectToolOk(run('qemu-img', ['create', '-f', 'vhdx', file, '64M']), 'create');
    expectToolOk(
      run('qemu-io', [
        '-f',
        'vhdx',
        '-c',
        'write -P 0xab 0 1M',
        '-c',
        'write -P 0x5a 10M 4k',
        file,
      ]),
      'qemu-io',
    );
    const disk = await openDisk(store, 'q.vhdx');
    const all = await readAll(disk);
    const want = new Uint8Array(64 * MiB);
    want.fill(0xab, 0, MiB);
    want.fill(0x5a, 10 * MiB, 10 * MiB + 4096);
    expect(firstDifference(all, want)).toBe(-1);
    await disk.close();
    const rw = await openDisk(store, 'q.vhdx', { writable: true });
    await rw.write(pattern(5000, 3), 20 * MiB + 1);
    await rw.close();
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', file]), 'qemu-img check after our write');
    expectToolOk(
      run('qemu-io', ['-r', '-f', 'vhdx', '-c', 'read -P 0xab 0 1M', file]),
      'qemu-io read back',
    );
  });
});
