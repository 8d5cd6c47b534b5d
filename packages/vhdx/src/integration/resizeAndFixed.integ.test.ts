import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectToolOk, tempStore } from '../test-support/integrationFixtures.js';
import {
  createDifferencingDisk,
  createDynamicDisk,
  createFixedDisk,
  inspectDisk,
  minimumDiskSize,
  openDisk,
  resizeDisk,
  VhdxError,
  type FileStore,
} from '../index.js';
import { requireTools, run } from '../test-support/externalTools.js';
import { firstDifference, MiB, pattern, readAll } from '../test-support/patterns.js';

async function write(store: FileStore, path: string, data: Uint8Array, at: number) {
  const disk = await openDisk(store, path, { writable: true });
  await disk.write(data, at);
  await disk.close();
}

function qemuVirtualSize(path: string): number {
  const r = run('qemu-img', ['info', '--output=json', '-f', 'vhdx', path]);
  expectToolOk(r, 'qemu-img info');
  return (JSON.parse(r.stdout.toString()) as { 'virtual-size': number })['virtual-size'];
}

describe('resizeDisk', () => {
  it('grows a dynamic disk in its BAT region: same data, zeros after, qemu-img agrees', async (ctx) => {
    requireTools(ctx, 'qemu-img', 'vhdiinfo');
    const { dir, store } = await tempStore();
    await createDynamicDisk(store, 'a.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
    const data = pattern(MiB, 1);
    await write(store, 'a.vhdx', data, 7 * MiB);
    await resizeDisk(store, 'a.vhdx', 24 * MiB);
    expect((await inspectDisk(store, 'a.vhdx')).virtualSize).toBe(24 * MiB);
    const disk = await openDisk(store, 'a.vhdx');
    const all = await readAll(disk);
    await disk.close();
    expect(firstDifference(all.subarray(7 * MiB, 8 * MiB), data)).toBe(-1);
    expect(all.subarray(8 * MiB).every((b) => b === 0)).toBe(true);
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'a.vhdx')]), 'qemu-img check');
    expect(qemuVirtualSize(join(dir, 'a.vhdx'))).toBe(24 * MiB);
    const info = run('vhdiinfo', [join(dir, 'a.vhdx')]);
    expectToolOk(info, 'vhdiinfo');
    expect(info.stdout.toString()).toMatch(/Media size\s*:\s*24 MiB \(25165824 bytes\)/);
  });

  it('moves the BAT to a larger region at the end of the file when it must', async (ctx) => {
    requireTools(ctx, 'qemu-img');
    const { dir, store } = await tempStore();
    // 1 MiB blocks: a 1 MiB BAT holds 131072 entries; 256 GiB needs more.
    await createDynamicDisk(store, 'big.vhdx', { virtualSize: 64 * MiB, blockSize: MiB });
    const data = pattern(3 * MiB, 2);
    await write(store, 'big.vhdx', data, 10 * MiB);
    const size = 256 * 1024 * MiB;
    await resizeDisk(store, 'big.vhdx', size);
    const disk = await openDisk(store, 'big.vhdx', { writable: true });
    const back = new Uint8Array(3 * MiB);
    await disk.read(back, 10 * MiB);
    expect(firstDifference(back, data)).toBe(-1);
    // A block far beyond the old BAT's reach takes data and keeps it.
    await disk.write(pattern(MiB, 3), size - MiB);
    await disk.close();
    const again = await openDisk(store, 'big.vhdx');
    const tail = new Uint8Array(MiB);
    await again.read(tail, size - MiB);
    await again.close();
    expect(firstDifference(tail, pattern(MiB, 3))).toBe(-1);
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'big.vhdx')]), 'qemu-img check');
    expect(qemuVirtualSize(join(dir, 'big.vhdx'))).toBe(size);
  });

  it('grows a differencing disk beyond its parent: the new space reads as zeros', async () => {
    const { store } = await tempStore();
    await createDynamicDisk(store, 'p.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
    await write(store, 'p.vhdx', pattern(4 * MiB, 4), 0);
    await createDifferencingDisk(store, 'c.avhdx', 'p.vhdx');
    await resizeDisk(store, 'c.avhdx', 6 * MiB);
    const disk = await openDisk(store, 'c.avhdx');
    const all = await readAll(disk);
    await disk.close();
    expect(firstDifference(all.subarray(0, 4 * MiB), pattern(4 * MiB, 4))).toBe(-1);
    expect(all.subarray(4 * MiB).every((b) => b === 0)).toBe(true);
    expect((await inspectDisk(store, 'c.avhdx')).parentPath).toBe('p.vhdx');
  });

  it('shrinks only down to the end of the last block holding data', async () => {
    const { store } = await tempStore();
    await createDynamicDisk(store, 's.vhdx', { virtualSize: 16 * MiB, blockSize: MiB });
    await write(store, 's.vhdx', pattern(100, 5), 5 * MiB + 10);
    expect(await minimumDiskSize(store, 's.vhdx')).toBe(6 * MiB);
    const error: unknown = await resizeDisk(store, 's.vhdx', 5 * MiB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VhdxError);
    expect((error as VhdxError).code).toBe('RANGE');
    await resizeDisk(store, 's.vhdx', 6 * MiB);
    expect((await inspectDisk(store, 's.vhdx')).virtualSize).toBe(6 * MiB);
  });
});

describe('createFixedDisk', () => {
  it('allocates every block: Fixed, full-size file, qemu-img and libvhdi accept it', async (ctx) => {
    requireTools(ctx, 'qemu-img', 'vhdiinfo');
    const { dir, store } = await tempStore();
    const info = await createFixedDisk(store, 'f.vhdx', { virtualSize: 10 * MiB, blockSize: MiB });
    expect(info.type).toBe('Fixed');
    expect(info.fileSize).toBeGreaterThanOrEqual(10 * MiB);
    await write(store, 'f.vhdx', pattern(MiB, 6), 3 * MiB);
    const disk = await openDisk(store, 'f.vhdx');
    const all = await readAll(disk);
    await disk.close();
    expect(firstDifference(all.subarray(3 * MiB, 4 * MiB), pattern(MiB, 6))).toBe(-1);
    expect(all.subarray(0, 3 * MiB).every((b) => b === 0)).toBe(true);
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', join(dir, 'f.vhdx')]), 'qemu-img check');
    expect(qemuVirtualSize(join(dir, 'f.vhdx'))).toBe(10 * MiB);
    expectToolOk(run('vhdiinfo', [join(dir, 'f.vhdx')]), 'vhdiinfo');
    const error: unknown = await resizeDisk(store, 'f.vhdx', 20 * MiB).catch((e: unknown) => e);
    expect((error as VhdxError).code).toBe('UNSUPPORTED');
  });
});
