import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNbdServer } from '@hvm/nbd';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vhdxDiskLibrary } from './diskLibrary.js';
import { openGuestDiskExport } from './guestDiskExport.js';

/* eslint-disable-next-line no-restricted-properties -- a missing outside tool fails in CI, skips elsewhere */
const IN_CI = process.env.CI === 'true';
const MiB = 1024 * 1024;

function requireTool(ctx: { skip(note?: string): void }, tool: string): void {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0) return;
  if (IN_CI) throw new Error(`${tool} is not installed (apt-get install qemu-utils 7zip)`);
  ctx.skip(`${tool} is not installed (apt-get install qemu-utils 7zip)`);
}

/** Runs a tool without blocking this process, which serves the tool's NBD requests. */
function runTool(command: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : 1, output: `${stdout}${stderr}` });
    });
  });
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-guest-disk-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("a VM's chain served to a real guest's block layer over NBD", () => {
  it('qemu-io writes land in the current .avhdx, read back through the chain, and leave the parent as it was', async (ctx) => {
    requireTool(ctx, 'qemu-io');
    requireTool(ctx, '7zz');
    const store = nodeFileStore(root);
    const disks = vhdxDiskLibrary;
    await disks.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
    await disks.writeDisk(store, 'base.vhdx', 0, new Uint8Array(MiB).fill(0x5a));
    await disks.createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    const parentBefore = await readFile(join(root, 'base.vhdx'));

    const guestDisk = await openGuestDiskExport(disks, store, 'child.avhdx');
    const server = await startNbdServer({
      socketPath: join(root, 'vm.sock'),
      exports: (name) => (name === 'disk0' ? guestDisk : undefined),
    });
    try {
      const result = await runTool('qemu-io', [
        '-f',
        'raw',
        '-c',
        'read -P 0x5a 0 1M',
        '-c',
        'write -P 0xc3 512k 64k',
        '-c',
        'write -P 0x17 -f 40M 8k',
        '-c',
        'flush',
        '-c',
        'read -P 0xc3 512k 64k',
        `nbd+unix:///disk0?socket=${server.socketPath}`,
      ]);
      expect(result.output).not.toMatch(/Pattern verification failed|error/i);
      expect(result.status).toBe(0);
    } finally {
      await server.close();
      await guestDisk.close();
    }

    // Through the product's own reader: the guest's writes over the parent's data.
    const head = await disks.readDisk(store, 'child.avhdx', 0, MiB);
    expect(head.subarray(0, 512 * 1024).every((b) => b === 0x5a)).toBe(true);
    expect(head.subarray(512 * 1024, 576 * 1024).every((b) => b === 0xc3)).toBe(true);
    expect(head.subarray(576 * 1024).every((b) => b === 0x5a)).toBe(true);
    const far = await disks.readDisk(store, 'child.avhdx', 40 * MiB, 8192);
    expect(far.every((b) => b === 0x17)).toBe(true);
    // The parent is untouched, and an outside reader still accepts it.
    expect(Buffer.compare(await readFile(join(root, 'base.vhdx')), parentBefore)).toBe(0);
    const check = await runTool('7zz', ['t', '-tvhdx', join(root, 'base.vhdx')]);
    expect(check.output).toMatch(/Everything is Ok/);
  });
});
