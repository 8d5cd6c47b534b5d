/**
 * A real guest's block layer writing its disk over NBD while the disk merges into its parent (a
 * live merge, behaviour spec §4.6 "Merges run live while the VM runs"): `qemu-io` is the NBD
 * client, as QEMU's own block layer is a running guest's. The export the guest keeps open is
 * switched to the live merge before the merge starts and to the merged parent after it, as a
 * QEMU VM's is (hypervisor/qemuGuest.ts `serveDisk`); no write is lost, none reads back stale.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNbdServer, type NbdServer } from '@hvm/nbd';
import { requireTool, runTool } from '@hvm/nbd/testing';
import { SwitchableDisk } from '@hvm/qemu';
import * as vhdx from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  requireOutsideTools,
  runTool as runCheck,
  sevenZipTestVhdx,
} from '../testing/outsideTools.js';
import { vhdxDiskLibrary } from './diskLibrary.js';
import { liveMergeDiskExport, openGuestDiskExport } from './guestDiskExport.js';

const MiB = 1024 * 1024;
const SIZE = 32 * MiB;
let root: string;
let server: NbdServer | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-live-merge-nbd-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

/** 64 KiB writes, one to each MiB of the disk in turn, each read back at once. */
function writesAndReadBacks(): string[] {
  const commands: string[] = [];
  for (let n = 0; n < 32; n += 1) {
    const at = `${n * MiB + 256 * 1024}`;
    const value = `0x${(0x80 + n).toString(16)}`;
    commands.push('-c', `write -P ${value} ${at} 64k`, '-c', `read -P ${value} ${at} 64k`);
  }
  return commands;
}

/** What every MiB holds afterwards: the first 256 KiB as before, then the guest's 64 KiB. */
function readBacks(): string[] {
  const commands: string[] = [];
  for (let n = 0; n < 32; n += 1) {
    const before = n < 8 ? '0x5a' : n < 20 ? '0x33' : '0';
    commands.push('-c', `read -P ${before} ${n * MiB} 256k`);
    commands.push('-c', `read -P 0x${(0x80 + n).toString(16)} ${n * MiB + 256 * 1024} 64k`);
  }
  return commands;
}

describe('a guest writing over NBD while its disk merges into its parent', () => {
  it('qemu-io writes during the merge through the export; every write reads back at once and after the merge from the parent, which outside tools accept', async (ctx) => {
    requireTool(ctx, 'qemu-io');
    requireOutsideTools(ctx, ['qemu-img', '7zz', 'vhdiinfo']);
    const store = vhdx.nodeFileStore(root);
    // 1 MiB blocks: the merge takes 12 steps, and the guest's writes fall between them.
    await vhdx.createDynamicDisk(store, 'base.vhdx', { virtualSize: SIZE, blockSize: MiB });
    await vhdxDiskLibrary.writeDisk(store, 'base.vhdx', 0, new Uint8Array(8 * MiB).fill(0x5a));
    await vhdxDiskLibrary.createDifferencingDisk(store, 'now.avhdx', 'base.vhdx');
    await vhdxDiskLibrary.writeDisk(
      store,
      'now.avhdx',
      8 * MiB,
      new Uint8Array(12 * MiB).fill(0x33),
    );

    const usual = await openGuestDiskExport(vhdxDiskLibrary, store, 'now.avhdx');
    const disk = new SwitchableDisk(usual);
    server = await startNbdServer({
      socketPath: join(root, 'disk.sock'),
      exports: (name) => (name === 'disk0' ? disk : undefined),
    });
    const uri = `nbd+unix:///disk0?socket=${server.socketPath}`;

    // The merge begins: the export goes through the live merge.
    const live = vhdxDiskLibrary.openLiveMerge?.(store, 'now.avhdx');
    if (live === undefined) throw new Error('the disk library has no live merge');
    let merging = true;
    let writesDuringMerge = 0;
    const through = liveMergeDiskExport(live, usual.sizeBytes);
    await disk.switchTo({
      ...through,
      write: async (offset, data, fua) => {
        if (merging) writesDuringMerge += 1;
        await through.write(offset, data, fua);
      },
    });
    await usual.close();
    const percents: number[] = [];
    const merge = vhdxDiskLibrary
      .mergeDisk(store, 'now.avhdx', {
        children: [],
        onProgress: (percent) => percents.push(percent),
        bytesPerSecond: 6 * MiB,
        live,
      })
      .finally(() => (merging = false));
    const during = await runTool('qemu-io', ['-f', 'raw', ...writesAndReadBacks(), uri]);
    await merge;
    expect(during.output).not.toMatch(/Pattern verification failed|error|failed/i);
    expect(during.status).toBe(0);
    expect(writesDuringMerge).toBeGreaterThan(0);
    expect(percents.at(-1)).toBe(100);
    expect(await store.exists('now.avhdx')).toBe(false);

    // The merge is done: the guest goes on in the parent, and sees everything it wrote.
    const parent = await openGuestDiskExport(vhdxDiskLibrary, store, 'base.vhdx');
    await disk.switchTo(parent);
    await through.close();
    const after = await runTool('qemu-io', ['-f', 'raw', ...readBacks(), uri]);
    expect(after.output).not.toMatch(/Pattern verification failed|error|failed/i);
    expect(after.status).toBe(0);
    await server.close();
    server = undefined;
    await parent.close();

    const base = join(root, 'base.vhdx');
    const check = runCheck('qemu-img', ['check', '-f', 'vhdx', base]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    sevenZipTestVhdx(base);
    const info = runCheck('vhdiinfo', [base]);
    expect(info.status, info.stdout + info.stderr).toBe(0);
  });
});
