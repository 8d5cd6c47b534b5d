/**
 * QEMU ending behind the host's back (kill -9 of the process, TCG): as when Hyper-V's worker
 * process of a VM ends, the VM does not stay shown Running. It is Off, with an Error in the event
 * log; a Save cut off by it leaves the VM Off with no saved state (Saved only with a complete one).
 */
import { describe, expect, it, vi } from 'vitest';
import { vmSavedStatePath } from '../persistence/layout.js';
import {
  createGuestVm,
  eachTestInItsOwnFolder,
  requireQemuGuest,
} from './qemuTestHost.test-support.js';
import { requireOutsideTools } from '../testing/outsideTools.js';
import type { VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';

const on = eachTestInItsOwnFolder('hvm-qemu-crash-');

function guestOf(vmId: VmId): QemuGuest {
  return requireQemuGuest(on.host, vmId);
}

async function endedEvents(vmId: VmId): Promise<{ level: string; message: string }[]> {
  const page = await on.host?.queryEventLog({ vmId, levels: ['Error'] });
  return (page?.entries ?? []).filter((e) => e.message.includes('QEMU process ended'));
}

describe('QEMU ending unexpectedly', { timeout: 300_000 }, () => {
  it('while Running, and during a Save: the VM is Off with an event-log entry, never shown Running or Saved without a complete saved state', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64']);
    const test = await on.startHost();
    const host = test.host;
    const vm = await createGuestVm(host, 'Crash VM');

    await host.changeVmState(vm.id, 'start');
    await guestOf(vm.id).qemu.kill();
    await vi.waitFor(() => expect(host.getVm(vm.id).state).toBe('Off'), {
      timeout: 10_000,
      interval: 50,
    });
    await vi.waitFor(async () => expect(await endedEvents(vm.id)).toHaveLength(1), {
      timeout: 5_000,
      interval: 50,
    });
    expect((await endedEvents(vm.id))[0]?.message).toMatch(/^'Crash VM' was turned off/);
    // The Turn Off that followed has ended.
    await host.whenIdle();

    await host.changeVmState(vm.id, 'start');
    const guest = guestOf(vm.id);
    const saving = host.changeVmState(vm.id, 'save');
    saving.catch(() => undefined);
    await vi.waitFor(() => expect(host.getVm(vm.id).state).toBe('Saving'), {
      timeout: 10_000,
      interval: 5,
    });
    await guest.qemu.kill();
    await expect(saving).rejects.toThrow();
    expect(host.getVm(vm.id).state).toBe('Off');
    expect(await test.store.exists(vmSavedStatePath(vm.id))).toBe(false);
    await vi.waitFor(async () => expect(await endedEvents(vm.id)).toHaveLength(2), {
      timeout: 5_000,
      interval: 50,
    });
    // And it starts again from its disk.
    await host.changeVmState(vm.id, 'start');
    expect(host.getVm(vm.id).state).toBe('Running');
  });
});
