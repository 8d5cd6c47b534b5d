import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectToolOk, tempStore } from '../test-support/integrationFixtures.js';
import {
  compactDisk,
  convertDisk,
  createDynamicDisk,
  createFixedDisk,
  inspectDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import { requireTools, run } from '../test-support/externalTools.js';
import { MiB, pattern } from '../test-support/patterns.js';

async function write(store: FileStore, path: string, data: Uint8Array, at: number) {
  const disk = await openDisk(store, path, { writable: true });
  await disk.write(data, at);
  await disk.close();
}

/** qemu-img's view of a file: its virtual size and sub-format. */
function qemuInfo(path: string): { virtualSize: number; text: string } {
  const json = run('qemu-img', ['info', '--output=json', '-f', 'vhdx', path]);
  expectToolOk(json, 'qemu-img info');
  const text = run('qemu-img', ['info', '-f', 'vhdx', path]);
  return {
    virtualSize: (JSON.parse(json.stdout.toString()) as { 'virtual-size': number })['virtual-size'],
    text: text.stdout.toString(),
  };
}

/** The raw bytes qemu-img reads from a VHDX. */
function qemuRaw(dir: string, name: string): string {
  const raw = join(dir, `${name}.raw`);
  expectToolOk(
    run('qemu-img', ['convert', '-f', 'vhdx', '-O', 'raw', join(dir, name), raw]),
    'qemu-img convert',
  );
  const hash = run('sha256sum', [raw]);
  return hash.stdout.toString().split(' ')[0] ?? '';
}

describe('fixed, converted and compacted disks, checked by qemu-img and 7-Zip', () => {
  it('a new fixed disk: every block present, the file as large as data and structures', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz');
    const { dir, store } = await tempStore();
    // MS-VHDX (vhdx-format.md §2): a fixed disk's payload blocks are all FULLY_PRESENT, laid one
    // after another; the file is the structures (header, log, metadata, BAT: 4 MiB here) plus the data.
    const info = await createFixedDisk(store, 'f.vhdx', { virtualSize: 12 * MiB, blockSize: MiB });
    expect(info.fileSize).toBe(4 * MiB + 12 * MiB);
    const path = join(dir, 'f.vhdx');
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', path]), 'qemu-img check');
    const q = qemuInfo(path);
    expect(q.virtualSize).toBe(12 * MiB);
    expectToolOk(run('7zz', ['t', '-tvhdx', path]), '7zz t');
    // Every BAT entry of a payload block reads state 6 (FULLY_PRESENT).
    const bytes = await store.readFile('f.vhdx');
    const bat = 3 * MiB;
    for (let block = 0; block < 12; block += 1) expect((bytes[bat + block * 8] ?? 0) & 7).toBe(6);
  });

  it('dynamic to fixed and back: the same bytes for qemu-img; both files pass its check and 7-Zip', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz', 'sha256sum');
    const { dir, store } = await tempStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 20 * MiB, blockSize: MiB });
    await write(store, 'd.vhdx', pattern(3 * MiB + 512, 1), 7 * MiB);
    await convertDisk(store, 'd.vhdx', 'f.vhdx', { type: 'Fixed' });
    await convertDisk(store, 'f.vhdx', 'back.vhdx', { type: 'Dynamic' });
    expect((await inspectDisk(store, 'f.vhdx')).type).toBe('Fixed');
    expect((await inspectDisk(store, 'back.vhdx')).type).toBe('Dynamic');
    const expected = qemuRaw(dir, 'd.vhdx');
    for (const name of ['f.vhdx', 'back.vhdx']) {
      const path = join(dir, name);
      expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', path]), `qemu-img check ${name}`);
      expectToolOk(run('7zz', ['t', '-tvhdx', path]), `7zz t ${name}`);
      expect(qemuRaw(dir, name)).toBe(expected);
    }
  });

  it('a compacted disk is smaller, reads the same for qemu-img and passes its check', async (ctx) => {
    requireTools(ctx, 'qemu-img', '7zz', 'sha256sum');
    const { dir, store } = await tempStore();
    await createDynamicDisk(store, 'd.vhdx', { virtualSize: 20 * MiB, blockSize: MiB });
    await write(store, 'd.vhdx', pattern(6 * MiB, 2), 2 * MiB);
    await write(store, 'd.vhdx', new Uint8Array(3 * MiB), 3 * MiB);
    const expected = qemuRaw(dir, 'd.vhdx');
    const { fileSizeBefore, fileSizeAfter } = await compactDisk(store, 'd.vhdx');
    expect(fileSizeAfter).toBe(fileSizeBefore - 3 * MiB);
    const path = join(dir, 'd.vhdx');
    expectToolOk(run('qemu-img', ['check', '-f', 'vhdx', path]), 'qemu-img check');
    expectToolOk(run('7zz', ['t', '-tvhdx', path]), '7zz t');
    expect(qemuRaw(dir, 'd.vhdx')).toBe(expected);
  });
});
