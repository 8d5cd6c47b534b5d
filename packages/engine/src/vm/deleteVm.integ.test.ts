import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore, openDisk } from '@hvm/vhdx';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { requireOutsideTools, sevenZipTestVhdx } from '../testing/outsideTools.js';

const root = mkdtempSync(join(tmpdir(), 'hvm-delete-vm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OFFSET = 5 * 1024 * 1024;

describe('the .vhdx a deleted VM leaves, on real files', () => {
  it('is a standalone dynamic VHDX that qemu-img and 7-Zip accept, holding what the VM wrote last', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-img', '7zz']);
    const store = nodeFileStore(root);
    const { host } = await createTestHost({ store });
    const vm = await buildVm(host, { name: 'KEPT', guestImage: null });
    const write = async (text: string) => {
      const path = host.getVm(vm.id).hardDrives[0]?.path ?? '';
      const disk = await openDisk(store, path, { writable: true });
      await disk.write(new TextEncoder().encode(text.padEnd(16, '\0')), OFFSET);
      await disk.close();
    };
    await write('before');
    await host.createCheckpoint(vm.id, { name: 'one' });
    await write('after one');
    await host.createCheckpoint(vm.id, { name: 'two' });
    await write('last words');
    await host.deleteVm(vm.id);
    await host.whenIdle();
    await host.close();

    const kept = join(root, 'Virtual Hard Disks', 'KEPT.vhdx');
    execFileSync('qemu-img', ['check', '-f', 'vhdx', kept], { stdio: 'pipe' });
    sevenZipTestVhdx(kept);
    const info = JSON.parse(
      execFileSync('qemu-img', ['info', '--output=json', kept]).toString(),
    ) as { format: string; 'backing-filename'?: string };
    expect(info.format).toBe('vhdx');
    expect(info['backing-filename']).toBeUndefined();
    const raw = join(root, 'kept.raw');
    execFileSync('qemu-img', ['convert', '-f', 'vhdx', '-O', 'raw', kept, raw]);
    const bytes = Buffer.alloc(16);
    const fd = openSync(raw, 'r');
    readSync(fd, bytes, 0, 16, OFFSET);
    closeSync(fd);
    expect(bytes.toString('utf8').replace(/\0+$/, '')).toBe('last words');
  });
});
