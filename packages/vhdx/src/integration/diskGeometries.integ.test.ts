/**
 * Issue 17, "coverage beyond today's small disks": 4096-byte logical sectors, 32 MiB blocks
 * (Hyper-V's default; MS-VHDX 2.6.2.1 allows 1-256 MiB), disks over 32 GiB whose BAT has several
 * chunks with sector-bitmap entries (MS-VHDX 2.5.1: a chunk covers 2^23 logical sectors, so
 * 4 GiB at 512 bytes and 32 GiB at 4096 bytes), and an empty child. Each file is checked by tools
 * we did not write: `qemu-img` (base disks; it reads no VHDX parents), `7zz t -tvhdx` (every file,
 * through its parent locator) and libvhdi's Python binding (chains, range by range).
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  inspectDisk,
  mergeDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import { DEBIAN_PYTHON, requireTools, run } from '../test-support/externalTools.js';
import { expectToolOk, tempStore } from '../test-support/integrationFixtures.js';
import { firstDifference, MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';
import { SparseReference, type PatternWrite } from '../test-support/sparseReference.js';

const GiB = 1024 * MiB;

async function writePatterns(
  store: FileStore,
  path: string,
  writes: readonly PatternWrite[],
): Promise<void> {
  const disk = await openDisk(store, path, { writable: true });
  try {
    for (const [offset, length, seed] of writes) await disk.write(pattern(length, seed), offset);
  } finally {
    await disk.close();
  }
}

function sevenZipTest(dir: string, file: string): void {
  const r = run('7zz', ['t', '-tvhdx', join(dir, file)]);
  expectToolOk(r, `7zz t -tvhdx ${file}`);
  expect(r.stdout.toString(), `7zz t -tvhdx ${file}`).toContain('Everything is Ok');
  expect(r.stdout.toString(), `7zz t -tvhdx ${file}: no warnings`).not.toMatch(/WARNING/i);
}

/** libvhdi reads `ranges` of the top of a chain (files base first); returns them end to end. */
async function libvhdiRead(
  dir: string,
  chain: readonly string[],
  ranges: readonly [number, number][],
): Promise<Uint8Array> {
  const script = [
    'import json, pyvhdi, sys',
    'folder, files, ranges = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])',
    'opened = []',
    'for name in files:',
    '    f = pyvhdi.file(); f.open(folder + "/" + name)',
    '    if opened: f.set_parent(opened[-1])',
    '    opened.append(f)',
    'top = opened[-1]',
    'for offset, length in ranges:',
    '    sys.stdout.buffer.write(top.read_buffer_at_offset(length, offset))',
  ].join('\n');
  await writeFile(join(dir, 'read-ranges.py'), script);
  const r = run(DEBIAN_PYTHON, [
    join(dir, 'read-ranges.py'),
    dir,
    JSON.stringify(chain),
    JSON.stringify(ranges),
  ]);
  expectToolOk(r, 'pyvhdi');
  return new Uint8Array(r.stdout);
}

async function ourRead(
  store: FileStore,
  path: string,
  ranges: readonly [number, number][],
): Promise<Uint8Array> {
  const disk = await openDisk(store, path);
  try {
    const out = new Uint8Array(ranges.reduce((sum, [, length]) => sum + length, 0));
    let at = 0;
    for (const [offset, length] of ranges) {
      await disk.read(out.subarray(at, at + length), offset);
      at += length;
    }
    return out;
  } finally {
    await disk.close();
  }
}

function expectedOf(ref: SparseReference, ranges: readonly [number, number][]): Uint8Array {
  const out = new Uint8Array(ranges.reduce((sum, [, length]) => sum + length, 0));
  let at = 0;
  for (const [offset, length] of ranges) {
    out.set(ref.expected(offset, length), at);
    at += length;
  }
  return out;
}

/**
 * qemu-img compares a base disk with a raw (sparse) image holding the same writes. The raw image
 * goes through `qemu-img convert -O qcow2` first (which skips the holes): compared as raw, qemu
 * reads every byte of the holes, about 40 s per 4 GiB on a shared machine; as qcow2 the holes are
 * known to be zero and the comparison takes seconds.
 */
async function qemuCompareWithRaw(
  dir: string,
  file: string,
  size: number,
  writes: readonly PatternWrite[],
): Promise<void> {
  const raw = join(dir, `${file}.raw`);
  expectToolOk(run('qemu-img', ['create', '-f', 'raw', raw, String(size)]), 'qemu-img create raw');
  const handle = await open(raw, 'r+');
  try {
    for (const [offset, length, seed] of writes)
      await handle.write(pattern(length, seed), 0, length, offset);
  } finally {
    await handle.close();
  }
  const qcow2 = `${raw}.qcow2`;
  expectToolOk(
    run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, qcow2]),
    'qemu-img convert raw',
  );
  const compared = run('qemu-img', [
    'compare',
    '-f',
    'vhdx',
    '-F',
    'qcow2',
    join(dir, file),
    qcow2,
  ]);
  expectToolOk(compared, `qemu-img compare ${file}`);
  expect(compared.stdout.toString()).toContain('Images are identical.');
}

/**
 * qemu-img 7.2 (Debian 12) opens no VHDX with 4096-byte logical sectors: it answers "Operation
 * not supported" for Hyper-V's files and ours alike, while 7-Zip and libvhdi read them. Returns
 * whether qemu-img opened the file; a refusal must be that one, never a complaint about the file.
 */
function qemuOpens(dir: string, file: string): boolean {
  const r = run('qemu-img', ['info', '--output=json', join(dir, file)]);
  if (r.status === 0) return true;
  expect(r.stderr, `qemu-img info ${file}`).toMatch(/Operation not supported/);
  return false;
}

describe('4096-byte logical sectors', () => {
  it('a chain written at unaligned offsets reads the same in us, qemu-img, 7-Zip and libvhdi, and after a merge', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz', 'vhdiinfo', 'pyvhdi');
    const { dir, store } = await tempStore();
    const size = 48 * MiB;
    const ref = new ReferenceDisk(size);
    const write = async (path: string, writes: readonly PatternWrite[]): Promise<void> => {
      await writePatterns(store, path, writes);
      for (const [offset, length, seed] of writes) ref.write(pattern(length, seed), offset);
    };
    await createDynamicDisk(store, 'base.vhdx', {
      virtualSize: size,
      blockSize: 2 * MiB,
      logicalSectorSize: 4096,
      physicalSectorSize: 4096,
    });
    await write('base.vhdx', [
      [0, 3 * MiB + 100, 1],
      [20 * MiB + 4095, 9000, 2],
      [47 * MiB, MiB, 3],
    ]);
    const base = ref.bytes.slice();
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    // Less than a sector, and across sector and block boundaries: the rest of each 4 KiB sector
    // must come from the parent.
    await write('child.avhdx', [
      [100, 700, 4],
      [2 * MiB - 10, 20, 5],
      [20 * MiB + 8000, 30, 6],
      [30 * MiB + 1, 10, 7],
    ]);
    const child = ref.bytes.slice();
    await createDifferencingDisk(store, 'grandchild.avhdx', 'child.avhdx');
    await write('grandchild.avhdx', [
      [4096 + 5, 3, 8],
      [MiB + 3, 3 * MiB, 9],
    ]);
    const grandchild = ref.bytes.slice();

    const info = await inspectDisk(store, 'grandchild.avhdx');
    expect(info.chain.map((d) => d.logicalSectorSize)).toEqual([4096, 4096, 4096]);
    for (const [file, bytes] of [
      ['base.vhdx', base],
      ['child.avhdx', child],
      ['grandchild.avhdx', grandchild],
    ] as const) {
      const disk = await openDisk(store, file);
      expect(firstDifference(await readAll(disk), bytes), `our read of ${file}`).toBe(-1);
      await disk.close();
      sevenZipTest(dir, file);
      const extracted = run('7zz', ['e', '-tvhdx', '-so', join(dir, file)]);
      expectToolOk(extracted, `7zz e ${file}`);
      expect(firstDifference(new Uint8Array(extracted.stdout), bytes), `7zz e ${file}`).toBe(-1);
    }
    if (qemuOpens(dir, 'base.vhdx')) {
      expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'base.vhdx')]), 'check');
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
      const raw = new Uint8Array(await readFile(join(dir, 'b.raw')));
      expect(firstDifference(raw, base), 'qemu-img convert').toBe(-1);
    }
    expect(run('vhdiinfo', [join(dir, 'grandchild.avhdx')]).stdout.toString()).toMatch(
      /Bytes per sector\s*: 4096/,
    );
    const all: [number, number][] = [[0, size]];
    expect(
      firstDifference(
        await libvhdiRead(dir, ['base.vhdx', 'child.avhdx', 'grandchild.avhdx'], all),
        grandchild,
      ),
      'libvhdi chain',
    ).toBe(-1);

    await mergeDisk(store, 'grandchild.avhdx');
    await mergeDisk(store, 'child.avhdx');
    const merged = await openDisk(store, 'base.vhdx');
    expect(firstDifference(await readAll(merged), grandchild), 'merged base').toBe(-1);
    await merged.close();
    sevenZipTest(dir, 'base.vhdx');
    if (qemuOpens(dir, 'base.vhdx'))
      expectToolOk(
        run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'base.vhdx')]),
        'check merged',
      );
  });
});

describe('32 MiB blocks', () => {
  for (const sector of [512, 4096] as const) {
    it(`a differencing disk with ${sector}-byte sectors writes each chunk's sector bitmap at its own BAT entry`, async (ctx) => {
      requireTools(ctx, '7zz', 'pyvhdi', 'qemu-img');
      const { dir, store } = await tempStore();
      const block = 32 * MiB;
      // 2^23 sectors per chunk: 128 blocks at 512 bytes, 1024 at 4096 bytes.
      const chunk = 2 ** 23 * sector;
      const size = chunk + 8 * block;
      await createDynamicDisk(store, 'base.vhdx', {
        virtualSize: size,
        blockSize: block,
        logicalSectorSize: sector,
        physicalSectorSize: sector,
      });
      const baseWrites: PatternWrite[] = [
        [0, 2 * MiB, 1],
        [chunk - block, block, 2],
        [chunk + 3 * block - 5, 4 * MiB, 3],
      ];
      await writePatterns(store, 'base.vhdx', baseWrites);
      const ref = new SparseReference(size);
      ref.add(baseWrites);
      const qemu = qemuOpens(dir, 'base.vhdx');
      if (qemu) await qemuCompareWithRaw(dir, 'base.vhdx', size, baseWrites);

      await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
      const childWrites: PatternWrite[] = [
        [sector + 3, 100, 4],
        [chunk - 7, 14, 5],
        [chunk + 3 * block + MiB, 3 * sector + 1, 6],
        [size - sector, sector, 7],
      ];
      await writePatterns(store, 'child.avhdx', childWrites);
      ref.add(childWrites);
      const ranges = ref.regions(2 * sector);
      const want = expectedOf(ref, ranges);
      expect(firstDifference(await ourRead(store, 'child.avhdx', ranges), want), 'ours').toBe(-1);
      expect(
        firstDifference(await libvhdiRead(dir, ['base.vhdx', 'child.avhdx'], ranges), want),
        'libvhdi',
      ).toBe(-1);
      sevenZipTest(dir, 'base.vhdx');
      sevenZipTest(dir, 'child.avhdx');

      await mergeDisk(store, 'child.avhdx');
      expect(firstDifference(await ourRead(store, 'base.vhdx', ranges), want), 'merged').toBe(-1);
      if (qemu) await qemuCompareWithRaw(dir, 'base.vhdx', size, [...baseWrites, ...childWrites]);
    }, 300_000);
  }
});

describe('a disk over 32 GiB', () => {
  it('a sparse 40 GiB base and child with writes in several BAT chunks match a raw image in qemu-img, 7-Zip and libvhdi', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz', 'pyvhdi');
    const { dir, store } = await tempStore();
    const size = 40 * GiB;
    await createDynamicDisk(store, 'big.vhdx', { virtualSize: size, blockSize: 32 * MiB });
    const info = await inspectDisk(store, 'big.vhdx');
    expect(info).toMatchObject({ virtualSize: size, logicalSectorSize: 512, blockSize: 32 * MiB });
    // A chunk is 4 GiB here: writes in chunks 0, 1, 5, 8 and the last (9).
    const baseWrites: PatternWrite[] = [
      [0, MiB, 1],
      [4 * GiB - 512, 1024, 2],
      [21 * GiB + 17, 5000, 3],
      [33 * GiB, 2 * MiB, 4],
      [size - 4096, 4096, 5],
    ];
    await writePatterns(store, 'big.vhdx', baseWrites);
    await qemuCompareWithRaw(dir, 'big.vhdx', size, baseWrites);
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'big.vhdx')]), 'check');
    sevenZipTest(dir, 'big.vhdx');

    await createDifferencingDisk(store, 'big-child.avhdx', 'big.vhdx');
    const childWrites: PatternWrite[] = [
      [512 + 1, 77, 6],
      [8 * GiB - 3, 6, 7],
      [21 * GiB + 1000, 300, 8],
      [37 * GiB + 5, MiB, 9],
      [size - 600, 600, 10],
    ];
    await writePatterns(store, 'big-child.avhdx', childWrites);
    const ref = new SparseReference(size);
    ref.add(baseWrites);
    ref.add(childWrites);
    const ranges = ref.regions(1024);
    const want = expectedOf(ref, ranges);
    expect(firstDifference(await ourRead(store, 'big-child.avhdx', ranges), want), 'ours').toBe(-1);
    // libvhdi 20210425 reads a chunk whose sector bitmap the child never allocated (BAT entry
    // SB_BLOCK_NOT_PRESENT, offset 0) as if the bitmap lay at the start of the file, so it takes
    // some parent sectors for the child's (here: 4 GiB chunk 8, which only the base wrote). MS-VHDX
    // 2.5.1.1 defines a NOT_PRESENT payload block of a differencing disk by its parent alone, and
    // 7-Zip and our reader agree; libvhdi is compared only on chunks with a bitmap in the child.
    const chunk = 4 * GiB;
    const childChunks = new Set(
      childWrites.flatMap(([at, length]) => [
        Math.floor(at / chunk),
        Math.floor((at + length - 1) / chunk),
      ]),
    );
    const withBitmap = ranges.filter(
      ([at, length]) =>
        childChunks.has(Math.floor(at / chunk)) &&
        childChunks.has(Math.floor((at + length - 1) / chunk)),
    );
    expect(withBitmap.length).toBeGreaterThanOrEqual(8);
    expect(
      firstDifference(
        await libvhdiRead(dir, ['big.vhdx', 'big-child.avhdx'], withBitmap),
        expectedOf(ref, withBitmap),
      ),
      'libvhdi',
    ).toBe(-1);
    sevenZipTest(dir, 'big-child.avhdx');

    await mergeDisk(store, 'big-child.avhdx');
    await qemuCompareWithRaw(dir, 'big.vhdx', size, [...baseWrites, ...childWrites]);
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'big.vhdx')]), 'check merged');
  }, 600_000);
});

describe('an empty child', () => {
  it('reads as its parent, passes 7-Zip, and merges into it (its own child re-pointed) leaving the content unchanged', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz');
    const { dir, store } = await tempStore();
    const size = 64 * MiB;
    await createDynamicDisk(store, 'base.vhdx', { virtualSize: size });
    const writes: PatternWrite[] = [
      [5, 1000, 1],
      [33 * MiB, 2 * MiB, 2],
    ];
    await writePatterns(store, 'base.vhdx', writes);
    const ref = new ReferenceDisk(size);
    for (const [offset, length, seed] of writes) ref.write(pattern(length, seed), offset);

    await createDifferencingDisk(store, 'empty.avhdx', 'base.vhdx');
    const empty = await openDisk(store, 'empty.avhdx');
    expect(firstDifference(await readAll(empty), ref.bytes), 'empty child').toBe(-1);
    await empty.close();
    sevenZipTest(dir, 'empty.avhdx');
    const extracted = run('7zz', ['e', '-tvhdx', '-so', join(dir, 'empty.avhdx')]);
    expectToolOk(extracted, '7zz e empty.avhdx');
    expect(firstDifference(new Uint8Array(extracted.stdout), ref.bytes), '7zz e empty child').toBe(
      -1,
    );

    await createDifferencingDisk(store, 'top.avhdx', 'empty.avhdx');
    await writePatterns(store, 'top.avhdx', [[MiB + 1, 10, 3]]);
    ref.write(pattern(10, 3), MiB + 1);
    await mergeDisk(store, 'empty.avhdx', { children: ['top.avhdx'] });
    expect(await store.exists('empty.avhdx')).toBe(false);
    const top = await inspectDisk(store, 'top.avhdx');
    expect(top.chain.map((d) => d.path)).toEqual(['top.avhdx', 'base.vhdx']);
    const disk = await openDisk(store, 'top.avhdx');
    expect(firstDifference(await readAll(disk), ref.bytes), 'after merging the empty child').toBe(
      -1,
    );
    await disk.close();
    sevenZipTest(dir, 'top.avhdx');

    // An empty child merged into its parent changes none of the parent's bytes.
    await createDifferencingDisk(store, 'empty2.avhdx', 'top.avhdx');
    await mergeDisk(store, 'empty2.avhdx');
    const again = await openDisk(store, 'top.avhdx');
    expect(firstDifference(await readAll(again), ref.bytes)).toBe(-1);
    await again.close();
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'base.vhdx')]), 'check base');
  });
});
