import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore, openDisk } from '@hvm/vhdx';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { requireOutsideTools, sevenZipTestVhdx } from '../testing/outsideTools.js';

const root = mkdtempSync(join(tmpdir(), 'hvm-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an exported disk on real files', () => {
  it('is a standalone VHDX that qemu-img and 7-Zip accept, with the content of the checkpoint', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-img', '7zz']);
    const store = nodeFileStore(root);
    const { host } = await createTestHost({ store });
    const vm = await buildVm(host);
    const drive = () => host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const write = async (offset: number, text: string) => {
      const disk = await openDisk(store, drive(), { writable: true });
      await disk.write(new TextEncoder().encode(text), offset);
      await disk.close();
    };
    await write(7 * 1024 * 1024, 'frozen by the checkpoint');
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'export me' });
    await write(7 * 1024 * 1024, 'written after it');
    const task = await host.exportCheckpoint(vm.id, checkpoint.id, { path: 'Exports' });
    await host.whenIdle();
    expect(host.getTask(task.id).status).toBe('Completed');

    const exported = join(root, 'Exports', vm.name, 'Virtual Hard Disks', `${vm.name}.vhdx`);
    // The checkpoint's content, as the host reads it through the chain.
    const size = host.getVm(vm.id).hardDrives[0]?.virtualSizeBytes ?? 0;
    const expected = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 4 * 1024 * 1024)
      expected.set(
        await host.readCheckpointDisk(vm.id, checkpoint.id, offset, 4 * 1024 * 1024),
        offset,
      );
    const expectedHash = createHash('sha256').update(expected).digest('hex');

    execFileSync('qemu-img', ['check', '-f', 'vhdx', exported], { stdio: 'pipe' });
    const raw = join(root, 'exported.raw');
    execFileSync('qemu-img', ['convert', '-f', 'vhdx', '-O', 'raw', exported, raw]);
    expect(createHash('sha256').update(readFileSync(raw)).digest('hex')).toBe(expectedHash);
    const info = JSON.parse(
      execFileSync('qemu-img', ['info', '--output=json', exported]).toString(),
    ) as { format: string; 'virtual-size': number; 'backing-filename'?: string };
    expect(info).toMatchObject({ format: 'vhdx', 'virtual-size': size });
    expect(info['backing-filename']).toBeUndefined();
    sevenZipTestVhdx(exported);
    await host.close();
  });
});
