import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, runTool } from '@hvm/nbd/testing';
import { describe, expect, it } from 'vitest';
import { runNbdKillTrials } from './nbdKill.js';

describe('the NBD export a QEMU guest writes through, killed at random moments', () => {
  it('keeps every write NBD acknowledged as durable, and outside tools accept the chain', async (ctx) => {
    requireTool(ctx, 'qemu-img');
    requireTool(ctx, '7zz', '7zip');
    requireTool(ctx, 'vhdiinfo', 'libvhdi-utils');
    const folder = await mkdtemp(join(tmpdir(), 'hvm-nbd-kill-'));
    try {
      const report = await runNbdKillTrials({ folder, seed: 20_261_207, trials: 6 });
      expect(report.problems).toEqual([]);
      expect(report.trials).toBe(6);
      expect(report.writesAcknowledged).toBeGreaterThan(0);

      const base = await runTool('qemu-img', ['check', '-f', 'vhdx', join(folder, 'base.vhdx')]);
      expect(base.output).toMatch(/No errors were found/);
      const chain = await runTool('7zz', ['t', join(folder, 'child.avhdx')]);
      expect(chain.output).toMatch(/Everything is Ok/);
      const info = await runTool('vhdiinfo', [join(folder, 'child.avhdx')]);
      expect(info.status).toBe(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
