/**
 * A QEMU host (TCG) through the engine's Host API: a tiny-linux VM starts, pauses, resumes, saves,
 * starts again from its saved state (the same boot goes on), is saved by the host's close and
 * started again with it (Automatic Stop Action Save, Automatic Start Action StartIfRunning), and
 * is Off once its guest shuts itself down; a checkpoint of the Saved VM holds its saved state.
 * Checkpoints of a running guest are qemuCheckpoints.integ.test.ts's, Delete under it
 * qemuLiveMerge.integ.test.ts's.
 */
import { parseGuestSerialLine } from '@hvm/guest-image';
import { describe, expect, it, vi } from 'vitest';
import {
  createGuestVm,
  eachTestInItsOwnFolder,
  requireQemuGuest,
} from './qemuTestHost.test-support.js';
import { requireOutsideTools } from '../testing/outsideTools.js';
import type { VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';

const BOOT_MS = 150_000;
const on = eachTestInItsOwnFolder('hvm-qemu-host-');

function guestOf(vmId: VmId): QemuGuest {
  return requireQemuGuest(on.host, vmId);
}

/** The boot id of the next ledger line the guest prints. */
async function nextBootId(guest: QemuGuest): Promise<string> {
  for (;;) {
    const line = await guest.qemu.console.waitForLine(/^HVM-LEDGER /, BOOT_MS);
    const parsed = parseGuestSerialLine(line);
    if (parsed?.kind === 'ledger') return parsed.bootId;
  }
}

describe('a VM of a QEMU host', { timeout: 400_000 }, () => {
  it('runs its guest under QEMU through Start, Pause, Resume, Save, the host close and the guest shutting itself down; a checkpoint of the Saved VM', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    const test = await on.startHost();
    let host = test.host;
    const vm = await createGuestVm(host, 'Ledger VM');
    // Off: a checkpoint is a disk-only one, as on any host.
    const before = await host.createCheckpoint(vm.id, { name: 'Before' });

    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).state).toBe('Running');
    const first = guestOf(vm.id);
    if (!/^HVM-READY/m.test(first.qemu.console.text()))
      await first.qemu.console.waitForLine(/^HVM-READY/, BOOT_MS);
    const bootId = await nextBootId(first);
    // The heartbeat comes from the guest agent.
    await vi.waitFor(() => expect(host.getVm(vm.id).heartbeat).toBe('OkApplicationsUnknown'), {
      timeout: 30_000,
      interval: 500,
    });

    // Delete Checkpoint merges live under the running guest (qemuLiveMerge.integ.test.ts).

    await host.changeVmState(vm.id, 'pause');
    expect(await first.qemu.status()).toBe('paused');
    await host.changeVmState(vm.id, 'resume');
    expect(await first.qemu.status()).toBe('running');

    await host.changeVmState(vm.id, 'save');
    expect(host.getVm(vm.id).state).toBe('Saved');
    await expect(first.qemu.exited).resolves.toMatchObject({ code: 0 });
    // Its saved state records the devices it restores onto; an adapter disconnected while Saved
    // is disconnected when the guest is restored (qemuNetworkAdapters.integ.test.ts has more).
    await host.disconnectNetworkAdapter(vm.id);
    // A checkpoint of the Saved VM holds its saved state (QEMU's, copied); Start still restores it.
    const saved = await host.createCheckpoint(vm.id, { name: 'Saved' });
    expect(saved).toMatchObject({ kind: 'Standard', fallbackReason: 'vm-saved' });

    await host.changeVmState(vm.id, 'start');
    const second = guestOf(vm.id);
    expect(await nextBootId(second)).toBe(bootId);
    await vi.waitFor(() => expect(second.qemu.console.text()).toMatch(/eth0 carrier down/), {
      timeout: 30_000,
      interval: 250,
    });

    // The host closes: its Automatic Stop Action (Save) saves the guest; it starts again with
    // the host (StartIfRunning), from the saved state.
    host = await test.restart();
    on.host = host;
    await expect(second.qemu.exited).resolves.toMatchObject({ code: 0 });
    await host.whenIdle();
    expect(host.getVm(vm.id).state).toBe('Running');
    const third = guestOf(vm.id);
    expect(await nextBootId(third)).toBe(bootId);

    // The guest shuts itself down (its power button pressed behind the host's back): the VM is Off.
    await third.qemu.pressPowerButton();
    await third.qemu.exited;
    await vi.waitFor(() => expect(host.getVm(vm.id).state).toBe('Off'), {
      timeout: 10_000,
      interval: 100,
    });
    await host.createCheckpoint(vm.id, { name: 'After' });
    await host.deleteCheckpoint(vm.id, before.id);
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['Saved', 'After']);
  });
});
