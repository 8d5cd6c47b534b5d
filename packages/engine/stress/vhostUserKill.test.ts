import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '@hvm/nbd/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runVhostUserKillTrials } from './vhostUserKill.js';
import { killPid, waitUntilGone } from './vhostUserHostProcess.js';

/** Host processes and QEMUs a failed trial may have left: killed by pid after each test. */
const processes = new Set<number>();

afterEach(async () => {
  const left = [...processes];
  processes.clear();
  for (const pid of left) killPid(pid);
  await waitUntilGone(left, 10_000);
});

describe('the host process serving a real guest over vhost-user-blk, killed while the guest writes', () => {
  it('loses no ledger record the guest reported fsynced, and outside tools accept the chain', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    requireTool(ctx, 'qemu-img');
    requireTool(ctx, '7zz', '7zip');
    requireTool(ctx, 'vhdiinfo', 'libvhdi-utils');
    const folder = await mkdtemp(join(tmpdir(), 'hvm-vhost-user-kill-'));
    try {
      const report = await runVhostUserKillTrials({
        folder,
        seed: 20_261_207,
        trials: 3,
        processes,
        log: (line) => console.log(line),
      });
      expect(report.problems).toEqual([]);
      expect(report.trials).toBe(3);
      for (const kill of report.kills) {
        expect(kill.committedBeforeKill).toBeGreaterThan(0);
        expect(kill.committedAfterBoot).toBeGreaterThanOrEqual(kill.committedBeforeKill);
      }
      expect(processes.size).toBe(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 240_000);
});
