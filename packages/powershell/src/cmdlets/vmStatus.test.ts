import { buildVm, createTestHost, vhdxDiskLibrary } from '@hvm/engine/testing';
import type { DiskLibrary } from '@hvm/engine';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

/** The real disk library, whose merges stop at 30 % until the test lets them go on. */
function heldMerges(): { disks: DiskLibrary; release: () => void; started: Promise<void> } {
  const real = vhdxDiskLibrary;
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const disks: DiskLibrary = {
    ...real,
    async mergeDisk(store, child, options) {
      options.onProgress(30);
      markStarted();
      await gate;
      return real.mergeDisk(store, child, options);
    },
  };
  return { disks, release, started };
}

describe("Get-VM's Status during a merge (R35)", () => {
  test('reads "Merging disks" while the host reports the percentage for the console column', async () => {
    const held = heldMerges();
    const { host } = await createTestHost({ disks: held.disks });
    const vm = await buildVm(host, { name: 'Web-01' });
    await host.createCheckpoint(vm.id, { name: 'A' });
    const b = await host.createCheckpoint(vm.id, { name: 'B' });
    await host.deleteCheckpoint(vm.id, b.id);
    await held.started;
    expect(host.getVm(vm.id).status).toBe('Merging disks (30%)');
    const during = await runPowerShell(
      host,
      '(Get-VM Web-01).Status\n(Get-VM Web-01).Status -eq "Merging disks"',
    );
    expect(during.output).toBe('Merging disks\nTrue\n');
    held.release();
    await host.whenIdle();
    const after = await runPowerShell(host, '(Get-VM Web-01).Status');
    expect(after.output).toBe('Operating normally\n');
  });
});
