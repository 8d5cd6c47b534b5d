/**
 * A real guest's addresses (QEMU host, TCG): tiny-linux gets 10.0.2.15 from QEMU's restricted
 * user-mode network by DHCP, its guest agent reports it (Key-Value Pair Exchange), Wait-VM -For
 * IPAddress returns once it is there, and Get-VMNetworkAdapter's IPAddresses shows it. One boot.
 * (What -For IPAddress waits for: waitVm.ts, with its sources.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import { ensureGuestImage, type GuestImageName } from '@hvm/guest-image';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, describe, expect, it } from 'vitest';
import { runPowerShell } from '../index.js';

/* eslint-disable-next-line no-restricted-properties -- tests detect CI from the environment */
const IN_CI = process.env.CI === 'true';
const HAS_QEMU = spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status === 0;

let host: Host | undefined;
let root: string | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe('a real guest on the network', { timeout: 300_000 }, () => {
  it('Wait-VM -For IPAddress returns once the guest reports 10.0.2.15, which Get-VMNetworkAdapter shows', async (ctx) => {
    if (!HAS_QEMU) {
      const message = 'qemu-system-x86_64 not installed (apt-get install qemu-system-x86)';
      // In CI a missing tool is a failure, never a skip.
      if (IN_CI) throw new Error(message);
      ctx.skip(message);
    }
    await ensureGuestImage('tiny-linux');
    root = await mkdtemp(join(tmpdir(), 'hvm-qemu-net-'));
    const test = await createTestHost({
      store: nodeFileStore(root),
      hypervisor: { kind: 'qemu', accelerator: 'tcg' },
      qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
    });
    host = test.host;
    const vm = await host.createVm({
      name: 'Net VM',
      memoryStartupMB: 192,
      diskSizeBytes: 64 * 1024 * 1024,
      guestImage: 'tiny-linux',
    });
    // A new VM's adapter is on the Default Switch: the guest has a network device.
    await host.changeVmState(vm.id, 'start');
    const before = await runPowerShell(host, '(Get-VMNetworkAdapter -VMName "Net VM").IPAddresses');
    expect(before.output).toBe('');

    const waited = await runPowerShell(
      host,
      '(Wait-VM -Name "Net VM" -For IPAddress -Timeout 120 -Passthru).Name\n' +
        '(Get-VMNetworkAdapter -VMName "Net VM").IPAddresses',
    );
    expect(waited.errors).toEqual([]);
    expect(waited.output.split('\n')).toEqual(expect.arrayContaining(['Net VM', '10.0.2.15']));
    expect(host.getVm(vm.id).guestIpAddresses).toContain('10.0.2.15');
  });
});
