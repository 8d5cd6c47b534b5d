/**
 * A guest that ends lets go of every file of its chain: the checkpoints' disks it served are kept
 * open by the disk library while it runs (parents are read through a shared cache), and must not
 * stay open once QEMU has ended, to be closed by the garbage collector at some later time (Node
 * warns "Closing file descriptor N on garbage collection") or never, while the VM's folder is
 * removed or its files are moved.
 */
import { readdir, readlink, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGuestImage } from '@hvm/guest-image';
import { nodeFileStore, type FileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { requireOutsideTools } from '../testing/outsideTools.js';
import { QemuGuest } from './qemuGuest.js';

const MiB = 1024 * 1024;
let root: string;
let store: FileStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-qemu-files-'));
  store = nodeFileStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The files under the VM's folder this process holds open (Linux: /proc/self/fd). */
async function openFilesUnderRoot(): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(`${root}/`)) open.push(target.slice(root.length + 1));
  }
  return open.sort();
}

describe('the files of a real guest under QEMU', { timeout: 300_000 }, () => {
  it('once the guest is turned off after Standard checkpoints, none of its chain is held open', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    const image = await ensureGuestImage('tiny-linux');
    await vhdxDiskLibrary.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
    const guest = await QemuGuest.start(
      {
        vmName: 'Files VM',
        vmId: '0f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098',
        library: vhdxDiskLibrary,
        store,
        image,
        memoryMiB: 128,
        processorCount: 1,
        accelerator: 'tcg',
      },
      'base.vhdx',
    );
    try {
      // The guest need not have booted: QEMU saves whatever state it is in.
      for (const name of ['first', 'second']) {
        const result = await guest.checkpoint('Standard', `${name}.avhdx`, `${name}.vmrs`);
        await result.memoryWritten;
      }
      expect(await openFilesUnderRoot()).toContain('second.avhdx');
    } finally {
      await guest.turnOff();
    }
    expect(await openFilesUnderRoot()).toEqual([]);
  });
});
