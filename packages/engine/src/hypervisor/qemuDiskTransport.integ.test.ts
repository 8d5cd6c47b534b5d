/**
 * The transport of a QEMU guest's disk (qemuDiskTransport.ts) on real guests (TCG): a guest that
 * boots is served by vhost-user-blk and says so in the devices its saved state records; a state
 * saved over NBD, as every state before the record was, restores onto NBD and goes on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGuestImage, type GuestImage } from '@hvm/guest-image';
import { canServeVhostUserBlk } from '@hvm/vhost-user';
import { nodeFileStore, type FileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { requireOutsideTools, runTool } from '../testing/outsideTools.js';
import { savedDiskTransport, type QemuDiskTransport } from './qemuDiskTransport.js';
import { QemuGuest } from './qemuGuest.js';
import { bootDeviceRecord } from './qemuNetwork.js';
import { nextLedgerLine } from './qemuTestHost.test-support.js';
import type { QemuDeviceRecord } from '../persistence/records.js';

const MiB = 1024 * 1024;
const BOOT_MS = 150_000;
let root: string;
let store: FileStore;
const running: QemuGuest[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-qemu-transport-'));
  store = nodeFileStore(root);
});
afterEach(async () => {
  for (const guest of running.splice(0)) await guest.turnOff().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function start(
  image: GuestImage,
  disk: string,
  devices: QemuDeviceRecord,
  diskTransport?: QemuDiskTransport,
  restoreFrom?: string,
): Promise<QemuGuest> {
  const guest = await QemuGuest.start(
    {
      vmName: 'Transport VM',
      vmId: '0d3c1c57-6f8e-4a52-9d0b-5a7e2c1f9b31',
      library: vhdxDiskLibrary,
      store,
      image,
      memoryMiB: 192,
      processorCount: 1,
      accelerator: 'tcg',
      networkAdapters: devices,
      ...(diskTransport === undefined ? {} : { diskTransport }),
    },
    disk,
    restoreFrom,
  );
  running.push(guest);
  return guest;
}

/** Boots on `transport` (default: what a booting guest gets), saves, restores as the engine does. */
async function saveAndRestore(
  image: GuestImage,
  transport: QemuDiskTransport | undefined,
): Promise<{ booted: QemuGuest; record: QemuDeviceRecord | undefined; restored: QemuGuest }> {
  const disk = `${transport ?? 'default'}.vhdx`;
  await vhdxDiskLibrary.createDynamicDisk(store, disk, 64 * MiB);
  const booted = await start(image, disk, bootDeviceRecord([]), transport);
  const before = await nextLedgerLine(booted.qemu.console, (l) => l.committed >= 2, BOOT_MS);
  const record = booted.deviceRecord();
  const state = `${transport ?? 'default'}.vmrs`;
  await booted.save(state);
  const restored = await start(
    image,
    disk,
    bootDeviceRecord([]),
    savedDiskTransport(record),
    state,
  );
  const resumed = await nextLedgerLine(
    restored.qemu.console,
    (l) => l.committed > before.committed,
    BOOT_MS,
  );
  expect(resumed.bootId).toBe(before.bootId);
  await restored.turnOff();
  const check = runTool('qemu-img', ['check', '-f', 'vhdx', join(root, disk)]);
  expect(check.status, check.stdout + check.stderr).toBe(0);
  return { booted, record, restored };
}

describe('the transport of a QEMU guest disk', { timeout: 400_000 }, () => {
  it('a booting guest is served by vhost-user-blk, records it with its saved state, and restores onto it', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64', 'qemu-img']);
    expect(canServeVhostUserBlk()).toBe(true);
    const image = await ensureGuestImage('tiny-linux');
    const { booted, record, restored } = await saveAndRestore(image, undefined);
    expect(booted.diskTransport).toBe('vhost-user-blk');
    expect(record?.diskTransport).toBe('vhost-user-blk');
    expect(restored.diskTransport).toBe('vhost-user-blk');
  });

  it('a state saved over NBD records no transport, as states saved before it did, and restores onto NBD', async (ctx) => {
    requireOutsideTools(ctx, ['qemu-system-x86_64', 'qemu-img']);
    const image = await ensureGuestImage('tiny-linux');
    const { record, restored } = await saveAndRestore(image, 'nbd');
    expect(record).toBeDefined();
    expect(record?.diskTransport).toBeUndefined();
    expect(restored.diskTransport).toBe('nbd');
  });
});
