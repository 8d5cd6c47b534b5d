/**
 * Real QEMU (TCG): a Standard-checkpoint-like save of a running guest whose disk is served here
 * (QMP `migrate` to a file while the guest writes: QEMU turns on VHOST_F_LOG_ALL and hands over
 * the dirty log), restored by a new QEMU on the same export served anew; and close() while the
 * guest writes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryBlockExport, type BlockExport } from '@hvm/nbd';
import { serveVhostUserBlkOnSocketPair, type VhostUserBlkServing } from './index.js';
import {
  agentReady,
  launchGuest,
  requireQemu,
  type TestGuest,
} from './vhostUserGuest.test-support.js';

const MiB = 1024 * 1024;

interface MigrationStatus {
  status: string;
  'error-desc'?: string;
}

describe('vhost-user-blk across a saved and restored guest', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function serve(blockExport: BlockExport, logs: string[]): VhostUserBlkServing {
    const serving = serveVhostUserBlkOnSocketPair({
      export: blockExport,
      log: (message) => logs.push(message),
    });
    cleanups.push(() => serving.close());
    return serving;
  }

  async function start(serving: VhostUserBlkServing, incoming?: string): Promise<TestGuest> {
    const guest = await launchGuest({ vhostUserDescriptors: [serving.clientDescriptor] }, incoming);
    cleanups.push(() => guest.kill());
    serving.releaseClientDescriptor();
    return guest;
  }

  it('saves a writing guest to a file and restores it on the same export, which goes on', async (ctx) => {
    requireQemu(ctx);
    const folder = await mkdtemp(path.join(tmpdir(), 'hvm-vhost-state-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const stateFile = path.join(folder, 'state');
    const blockExport = memoryBlockExport(256 * MiB);
    const logs: string[] = [];

    const first = serve(blockExport, logs);
    const source = await start(first);
    await source.qmp.execute('cont');
    await source.waitForConsole(/HVM-READY/, 80_000);
    await agentReady(source, 30_000);
    const bootId = (await source.shell('cat /proc/sys/kernel/random/boot_id')).trim();
    const before = await source.shell(
      'dd if=/dev/urandom of=/data/before bs=1M count=8 2>/dev/null && sync && sha256sum /data/before',
    );
    // The guest goes on writing while its state is saved.
    await source.shell(
      '(i=0; while true; do i=$((i+1)); dd if=/dev/urandom of=/data/churn bs=64k count=4 ' +
        'conv=fsync 2>/dev/null; echo $i > /data/count; done) >/dev/null 2>&1 &',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await source.qmp.execute('migrate', { uri: `exec:cat > '${stateFile}'` });
    const deadline = Date.now() + 60_000;
    let status: MigrationStatus;
    for (;;) {
      status = await source.qmp.execute<MigrationStatus>('query-migrate');
      if (status.status === 'completed' || status.status === 'failed') break;
      if (Date.now() > deadline) throw new Error(`migration still ${status.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status.status, status['error-desc']).toBe('completed');
    await source.kill();
    await first.close();
    const writesBeforeRestore = first.counts.writes;
    expect(writesBeforeRestore).toBeGreaterThan(0);

    const second = serve(blockExport, logs);
    const restored = await start(second, stateFile);
    const restoreDeadline = Date.now() + 60_000;
    while (
      (await restored.qmp.execute<{ status: string }>('query-status')).status === 'inmigrate'
    ) {
      if (Date.now() > restoreDeadline) throw new Error('the state did not load in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await restored.qmp.execute('cont');
    await agentReady(restored, 30_000);
    expect((await restored.shell('cat /proc/sys/kernel/random/boot_id')).trim()).toBe(bootId);
    const count = Number((await restored.shell('cat /data/count')).trim());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const later = Number((await restored.shell('cat /data/count')).trim());
    expect(later).toBeGreaterThan(count);
    expect(await restored.shell('echo 3 > /proc/sys/vm/drop_caches; sha256sum /data/before')).toBe(
      before,
    );
    expect(second.counts.writes).toBeGreaterThan(0);
    expect(first.counts.errors + second.counts.errors).toBe(0);
    expect(logs.filter((line) => line.includes('broken'))).toEqual([]);
    // QEMU handed over its dirty log: the save went through VHOST_F_LOG_ALL.
    expect(logs.some((line) => line.startsWith('dirty log of'))).toBe(true);
  }, 170_000);

  it('closes while the guest writes, without hanging', async (ctx) => {
    requireQemu(ctx);
    const logs: string[] = [];
    const serving = serve(memoryBlockExport(256 * MiB), logs);
    const guest = await start(serving);
    await guest.qmp.execute('cont');
    await guest.waitForConsole(/HVM-READY/, 80_000);
    await agentReady(guest, 30_000);
    await guest.shell(
      '(while true; do dd if=/dev/zero of=/data/churn bs=1M count=4 oflag=direct 2>/dev/null; done) ' +
        '>/dev/null 2>&1 &',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const writes = serving.counts.writes;
    const closing = serving.close();
    const timedOut = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), 10_000),
    );
    expect(await Promise.race([closing.then(() => 'closed' as const), timedOut])).toBe('closed');
    expect(writes).toBeGreaterThan(0);
    const afterClose = serving.counts.writes;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(serving.counts.writes).toBe(afterClose);
  }, 150_000);
});
