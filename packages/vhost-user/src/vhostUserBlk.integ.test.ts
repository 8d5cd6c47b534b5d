/**
 * Real QEMU (TCG) with its disks on this back end: the tiny-linux guest boots from a served
 * disk (it formats /dev/vda and prints HVM-READY), writes and reads back 64 MiB with O_DIRECT on
 * a second served disk, and the export holds what the guest wrote.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryBlockExport } from '@hvm/nbd';
import { serveVhostUserBlkOnSocketPair, type VhostUserBlkServing } from './index.js';
import {
  agentReady,
  launchGuest,
  requireQemu,
  type TestGuest,
} from './vhostUserGuest.test-support.js';

const MiB = 1024 * 1024;

describe('vhost-user-blk with a real QEMU guest', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function serve(sizeBytes: number): {
    serving: VhostUserBlkServing;
    bytes: Uint8Array;
    logs: string[];
  } {
    const blockExport = memoryBlockExport(sizeBytes);
    const logs: string[] = [];
    const serving = serveVhostUserBlkOnSocketPair({
      export: blockExport,
      log: (message) => logs.push(message),
    });
    cleanups.push(() => serving.close());
    return { serving, bytes: blockExport.bytes, logs };
  }

  async function boot(servings: VhostUserBlkServing[]): Promise<TestGuest> {
    const guest = await launchGuest({
      vhostUserDescriptors: servings.map((serving) => serving.clientDescriptor),
    });
    cleanups.push(() => guest.kill());
    for (const serving of servings) serving.releaseClientDescriptor();
    await guest.qmp.execute('cont');
    await guest.waitForConsole(/HVM-READY/, 80_000);
    await agentReady(guest, 30_000);
    return guest;
  }

  it('boots to HVM-READY and moves 64 MiB with O_DIRECT both ways, intact', async (ctx) => {
    requireQemu(ctx);
    const system = serve(256 * MiB);
    const scratch = serve(80 * MiB);
    const guest = await boot([system.serving, scratch.serving]);
    const written = await guest.shell(
      'dd if=/dev/urandom of=/dev/vdb bs=1M count=64 oflag=direct 2>/dev/null && ' +
        'dd if=/dev/vdb bs=1M count=64 iflag=direct 2>/dev/null | sha256sum',
      60_000,
    );
    const inGuest = written.trim().split(/\s+/)[0];
    const inExport = createHash('sha256')
      .update(scratch.bytes.subarray(0, 64 * MiB))
      .digest('hex');
    expect(inGuest).toBe(inExport);
    expect(scratch.serving.counts.writes).toBeGreaterThanOrEqual(64);
    expect(scratch.serving.counts.reads).toBeGreaterThanOrEqual(64);
    expect(system.serving.counts.errors + scratch.serving.counts.errors).toBe(0);
    expect(system.logs.filter((line) => line.includes('broken'))).toEqual([]);
  }, 150_000);

  it('serves the disk again after the guest resets (the rings stop and start anew)', async (ctx) => {
    requireQemu(ctx);
    const system = serve(256 * MiB);
    const guest = await boot([system.serving]);
    const firstBoot = (await guest.shell('cat /proc/sys/kernel/random/boot_id')).trim();
    await guest.shell('echo kept > /data/kept && sync');
    const consoleBefore = guest.console().length;
    await guest.qmp.execute('system_reset');
    await guest.waitForConsole(/HVM-READY[\s\S]*HVM-READY/, 80_000);
    expect(guest.console().length).toBeGreaterThan(consoleBefore);
    await agentReady(guest, 30_000);
    expect((await guest.shell('cat /proc/sys/kernel/random/boot_id')).trim()).not.toBe(firstBoot);
    expect((await guest.shell('cat /data/kept')).trim()).toBe('kept');
    expect(system.serving.counts.errors).toBe(0);
    expect(system.logs.filter((line) => line.includes('broken'))).toEqual([]);
  }, 150_000);
});
