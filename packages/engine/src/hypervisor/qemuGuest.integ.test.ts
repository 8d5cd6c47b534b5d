/**
 * Real guests under QEMU (TCG) on real VHDX chains: tiny-linux (`@hvm/guest-image`) runs an
 * append-only ledger that fsyncs committed records and keeps in-flight ones in memory, and prints
 * its figures on the serial console. Every case ends with the chain checked by outside tools.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGuestImage, parseGuestSerialLine, type GuestImage } from '@hvm/guest-image';
import { nodeFileStore, type FileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { EngineError } from '../errors.js';
import { requireOutsideTools, runTool, sevenZipTestVhdx } from '../testing/outsideTools.js';
import { QemuGuest, type QemuGuestOptions } from './qemuGuest.js';
import { nextLedgerLine, type LedgerLine } from './qemuTestHost.test-support.js';

const MiB = 1024 * 1024;
const BOOT_MS = 150_000;
let root: string;
let store: FileStore;
const running: QemuGuest[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-qemu-guest-'));
  store = nodeFileStore(root);
});
afterEach(async () => {
  for (const guest of running.splice(0)) await guest.turnOff().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

function options(image: GuestImage): QemuGuestOptions {
  return {
    vmName: 'Ledger VM',
    vmId: '6b1f6b0e-3f0d-4c7e-9d59-2f1c3a7d2b10',
    library: vhdxDiskLibrary,
    store,
    image,
    memoryMiB: 192,
    processorCount: 1,
    accelerator: 'tcg',
  };
}

async function start(image: GuestImage, disk: string, restoreFrom?: string): Promise<QemuGuest> {
  const guest = await QemuGuest.start(options(image), disk, restoreFrom);
  running.push(guest);
  return guest;
}

/** The next ledger line the guest prints that satisfies `accept`. */
function ledger(
  guest: QemuGuest,
  accept: (l: LedgerLine) => boolean = () => true,
): Promise<LedgerLine> {
  return nextLedgerLine(guest.qemu.console, accept, BOOT_MS);
}

function checkChain(files: string[]): void {
  const base = join(root, 'base.vhdx');
  const check = runTool('qemu-img', ['check', '-f', 'vhdx', base]);
  expect(check.status, check.stdout + check.stderr).toBe(0);
  for (const file of files) sevenZipTestVhdx(join(root, file));
}

describe('a real guest under QEMU on its VHDX chain', { timeout: 400_000 }, () => {
  it('a Standard checkpoint, applied and started, resumes the workload where it was: same boot, counters go on from there; Save and Start do the same', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64', 'qemu-img', '7zz']);
    const image = await ensureGuestImage('tiny-linux');
    await vhdxDiskLibrary.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
    const guest = await start(image, 'base.vhdx');
    const before = await ledger(guest, (l) => l.committed >= 2);

    // The checkpoint's instant is when QEMU stops the guest, at the end of writing its memory: the
    // last ledger line printed before the checkpoint returns is at or just before it.
    let lastBeforeReturn = before;
    const stopWatching = guest.qemu.console.onLine((line) => {
      const parsed = parseGuestSerialLine(line);
      if (parsed?.kind === 'ledger') lastBeforeReturn = parsed;
    });
    const result = await guest.checkpoint('Standard', 'run1.avhdx', 'checkpoint.vmrs');
    stopWatching();
    expect(result).toMatchObject({ kind: 'Standard', fallbackReason: null });
    // Running again while its memory, as it was at the pause, is written (Hyper-V's order, §1.3).
    expect(await guest.qemu.status()).toBe('running');
    await result.memoryWritten;
    expect(guest.currentDisk).toBe('run1.avhdx');
    expect(await vhdxDiskLibrary.parentOf(store, 'run1.avhdx')).toMatch(/base\.vhdx$/);
    // The guest goes on after the checkpoint, writing into the child.
    const later = await ledger(
      guest,
      (l) =>
        l.committed >= lastBeforeReturn.committed + 4 &&
        l.uptimeSeconds >= lastBeforeReturn.uptimeSeconds + 4,
    );
    expect(later.committed).toBeGreaterThan(before.committed);
    await guest.turnOff();

    // Apply: a new child of the checkpoint's disk; Start restores the saved state onto it.
    await vhdxDiskLibrary.createDifferencingDisk(store, 'run2.avhdx', 'base.vhdx');
    const restored = await start(image, 'run2.avhdx', 'checkpoint.vmrs');
    const resumed = await ledger(restored);
    expect(resumed.bootId).toBe(before.bootId);
    expect(resumed.committed).toBeGreaterThanOrEqual(before.committed);
    expect(resumed.committed).toBeLessThan(later.committed);
    expect(resumed.uptimeSeconds).toBeGreaterThanOrEqual(before.uptimeSeconds);
    expect(resumed.uptimeSeconds).toBeLessThan(later.uptimeSeconds);
    const next = await ledger(restored, (l) => l.committed > resumed.committed);
    expect(next.bootId).toBe(before.bootId);

    // Save, then Start from the saved state: the same guest again, on the same disk.
    await restored.save('saved.vmrs');
    expect(await restored.qemu.exited).toMatchObject({ code: 0 });
    const again = await start(image, 'run2.avhdx', 'saved.vmrs');
    const afterSave = await ledger(again);
    expect(afterSave.bootId).toBe(before.bootId);
    expect(afterSave.committed).toBeGreaterThanOrEqual(next.committed);
    await again.turnOff();
    checkChain(['run1.avhdx', 'run2.avhdx']);
  });

  it('a Production checkpoint freezes the file system through the agent, saves no memory, and applied boots clean with committed records only', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64', 'qemu-img', '7zz']);
    const image = await ensureGuestImage('tiny-linux');
    await vhdxDiskLibrary.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
    const guest = await start(image, 'base.vhdx');
    const before = await ledger(guest, (l) => l.committed >= 2);
    expect(await guest.heartbeat()).toBe('OK');

    const result = await guest.checkpoint('Production', 'run1.avhdx', 'unused.vmrs');
    expect(result).toEqual({ kind: 'Production', fallbackReason: null });
    expect(await store.exists('unused.vmrs')).toBe(false);
    const after = await ledger(guest);
    expect(after.bootId).toBe(before.bootId);
    await guest.turnOff();

    await vhdxDiskLibrary.createDifferencingDisk(store, 'run2.avhdx', 'base.vhdx');
    const booted = await start(image, 'run2.avhdx');
    const check = await booted.qemu.console.waitForLine(/^HVM-LEDGER-CHECK /, BOOT_MS);
    const parsed = parseGuestSerialLine(check);
    expect(parsed).toMatchObject({ kind: 'ledger-check', ok: true, tornTail: false });
    const committed = parsed?.kind === 'ledger-check' && parsed.ok ? parsed.committed : -1;
    expect(committed).toBeGreaterThanOrEqual(before.committed);
    expect(committed).toBeLessThanOrEqual(after.committed);
    const fresh = await ledger(booted);
    expect(fresh.bootId).not.toBe(before.bootId);
    // Key-Value Pair Exchange through the agent (tiny-linux has no network: no addresses).
    const items = await booted.intrinsicExchangeItems();
    expect(items).toMatchObject({
      OSVersion: expect.stringMatching(/^\d+\.\d+/) as unknown,
      NetworkAddressIPv4: '',
      NetworkAddressIPv6: '',
    });
    // Shut Down: the guest powers itself off and QEMU ends.
    await booted.shutDown(90_000);
    await expect(booted.qemu.exited).resolves.toMatchObject({ code: 0 });
    checkChain(['run1.avhdx', 'run2.avhdx']);
  });

  it('without a guest agent, ProductionOnly fails and creates nothing, and Production falls back to Standard with the reason', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64', 'qemu-img', '7zz']);
    const image = await ensureGuestImage('tiny-linux-noagent');
    await vhdxDiskLibrary.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
    const guest = await start(image, 'base.vhdx');
    await ledger(guest, (l) => l.committed >= 1);
    expect(await guest.heartbeat()).toBe('NoContact');

    const failure = guest.checkpoint('ProductionOnly', 'run1.avhdx', 'checkpoint.vmrs');
    await expect(failure).rejects.toBeInstanceOf(EngineError);
    await expect(failure).rejects.toThrow(
      /Could not create a production checkpoint for 'Ledger VM': the guest has no integration services installed/,
    );
    expect(await store.exists('run1.avhdx')).toBe(false);
    expect(await store.exists('checkpoint.vmrs')).toBe(false);
    expect(guest.currentDisk).toBe('base.vhdx');
    expect(await guest.qemu.status()).toBe('running');

    const fellBack = await guest.checkpoint('Production', 'run1.avhdx', 'checkpoint.vmrs');
    expect(fellBack.kind).toBe('Standard');
    expect(fellBack.fallbackReason).toBe('no-integration-services');
    await fellBack.memoryWritten;
    expect(await store.exists('checkpoint.vmrs')).toBe(true);
    await ledger(guest);
    expect(await guest.intrinsicExchangeItems()).toEqual({});
    // Shut Down without an agent: the ACPI power button.
    await guest.shutDown(90_000);
    await expect(guest.qemu.exited).resolves.toMatchObject({ code: 0 });
    checkChain(['run1.avhdx']);
  });
});
