/**
 * A QEMU host (TCG) through the engine's Host API: a tiny-linux VM starts, saves, starts again from
 * its saved state (the same boot goes on) and turns off; while it is not Off its disks are the
 * guest's and checkpoint operations are refused in this host's words.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGuestImage, parseGuestSerialLine, type GuestImageName } from '@hvm/guest-image';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { createTestHost } from '../testing/index.js';
import { requireOutsideTools } from '../testing/outsideTools.js';
import type { QemuGuest } from './qemuGuest.js';

const BOOT_MS = 90_000;
let root: string;
let host: Host | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-qemu-host-'));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  await rm(root, { recursive: true, force: true });
});

/** The boot id of the next ledger line the guest prints. */
async function nextBootId(guest: QemuGuest): Promise<string> {
  for (;;) {
    const line = await guest.qemu.console.waitForLine(/^HVM-LEDGER /, BOOT_MS);
    const parsed = parseGuestSerialLine(line);
    if (parsed?.kind === 'ledger') return parsed.bootId;
  }
}

describe('a VM of a QEMU host', { timeout: 240_000 }, () => {
  it('starts, saves, starts again from its saved state in the same boot, and turns off; checkpoints wait until it is off', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    await ensureGuestImage('tiny-linux');
    const guests: QemuGuest[] = [];
    const test = await createTestHost({
      store: nodeFileStore(root),
      hypervisor: { kind: 'qemu', accelerator: 'tcg' },
      qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
      qemuGuestStarted: (_vmId, guest) => guests.push(guest),
    });
    host = test.host;
    const vm = await host.createVm({
      name: 'Ledger VM',
      memoryStartupMB: 192,
      diskSizeBytes: 64 * 1024 * 1024,
      guestImage: 'tiny-linux',
    });

    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).state).toBe('Running');
    const first = guests.at(-1);
    if (first === undefined) throw new Error('no QEMU guest started');
    if (!/^HVM-READY/m.test(first.qemu.console.text()))
      await first.qemu.console.waitForLine(/^HVM-READY/, BOOT_MS);
    const bootId = await nextBootId(first);

    // The guest's disk is QEMU's while it runs: no checkpoint under it.
    await expect(host.createCheckpoint(vm.id, {})).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('Turn it off first') as unknown,
    });

    await host.changeVmState(vm.id, 'pause');
    expect(await first.qemu.status()).toBe('paused');
    await host.changeVmState(vm.id, 'resume');
    expect(await first.qemu.status()).toBe('running');

    await host.changeVmState(vm.id, 'save');
    expect(host.getVm(vm.id).state).toBe('Saved');
    await expect(first.qemu.exited).resolves.toMatchObject({ code: 0 });

    await host.changeVmState(vm.id, 'start');
    const second = guests.at(-1);
    if (second === undefined || second === first) throw new Error('no second QEMU guest');
    expect(await nextBootId(second)).toBe(bootId);

    await host.changeVmState(vm.id, 'turn-off');
    expect(host.getVm(vm.id).state).toBe('Off');
    await second.qemu.exited;
    // Off: a checkpoint is a disk-only one, as today.
    await host.createCheckpoint(vm.id, { name: 'Off' });
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toContain('Off');
  });
});
