/**
 * Checkpoints of a running QEMU guest (TCG) through the engine's Host API, as a user takes them:
 * tiny-linux (`@hvm/guest-image`) runs an append-only ledger that fsyncs committed records, keeps
 * in-flight ones in memory and prints its figures (boot id, uptime) on the serial console.
 * - Standard of a running guest: Apply leaves the VM Saved, Start restores the checkpoint's saved
 *   state onto a new child of its disk and the same boot goes on from where it was.
 * - Production: the agent freezes the file systems; Apply leaves the VM Off and the next boot
 *   finds committed records only.
 * - Without an agent: ProductionOnly fails with Hyper-V's error and creates nothing; Production
 *   falls back to Standard with the reason, in the checkpoint and the event log; so does a Paused VM.
 * - A host killed between the two commits of a Standard checkpoint (Now on its new disk, the
 *   checkpoint not yet in the tree) comes back with the chain whole and nothing for Check Host;
 *   so does one killed while the memory is still being written and the guest runs on meanwhile
 *   (Hyper-V writes a running VM's memory in the background, behaviour spec §1.3, S45), Now's
 *   new disk already made (it is made before QEMU stops the guest) and taken back.
 * Each case ends with the chain checked by outside tools (`qemu-img check`, `7zz t`).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureGuestImage, parseGuestSerialLine, type GuestImageName } from '@hvm/guest-image';
import { nodeFileStore, type FileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import type { Host } from '../host/host.js';
import { createTestHost, qemuGuestOf, type TestHost } from '../testing/index.js';
import {
  requireOutsideTools,
  runTool,
  sevenZipTestVhdx,
  type OutsideTool,
} from '../testing/outsideTools.js';
import type { VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';
import { nextLedgerLine, type LedgerLine } from './qemuTestHost.test-support.js';

const BOOT_MS = 150_000;
const MiB = 1024 * 1024;
const TOOLS: OutsideTool[] = ['qemu-system-x86_64', 'qemu-img', '7zz'];
let root: string;
let store: FileStore;
let host: Host | undefined;
/** A host left as if killed (never closed: its stopped operation would hold its close forever). */
let killed: Host | undefined;
/** Every guest a test saw, turned off at its end whatever happened (no QEMU is left running). */
const guests = new Set<QemuGuest>();

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hvm-qemu-checkpoints-'));
  store = nodeFileStore(root);
});
afterEach(async () => {
  for (const guest of guests) await guest.turnOff().catch(() => undefined);
  guests.clear();
  if (host !== killed) await host?.close();
  host = undefined;
  killed = undefined;
  await rm(root, { recursive: true, force: true });
});

async function ledgerHost(
  image: GuestImageName,
  hostStore: FileStore = store,
  memorySaveBytesPerSecond = 0,
): Promise<{ host: Host; vmId: VmId; test: TestHost }> {
  await ensureGuestImage(image);
  const test = await createTestHost({
    store: hostStore,
    memorySaveBytesPerSecond,
    // Host paths (a drive's, a checkpoint's) are then under `root`.
    dataLocation: root,
    hypervisor: { kind: 'qemu', accelerator: 'tcg' },
    qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
  });
  host = test.host;
  const vm = await host.createVm({
    name: 'Ledger VM',
    memoryStartupMB: 192,
    diskSizeBytes: 64 * MiB,
    guestImage: image,
  });
  return { host: test.host, vmId: vm.id, test };
}

function guestOf(vmId: VmId): QemuGuest {
  const guest = host === undefined ? null : qemuGuestOf(host, vmId);
  if (guest === null) throw new Error('the VM has no QEMU guest');
  guests.add(guest);
  return guest;
}

/** The next ledger line the VM's guest prints that satisfies `accept`. */
function ledger(vmId: VmId, accept: (l: LedgerLine) => boolean = () => true): Promise<LedgerLine> {
  return nextLedgerLine(guestOf(vmId).qemu.console, accept, BOOT_MS);
}

/** Every file of the store under `root`, relative to it. */
async function filesOf(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** `qemu-img check` on the base disk, `7zz t` on every disk of the chain. */
async function checkChain(): Promise<void> {
  const files = await filesOf();
  const disks = files.filter((f) => /\.a?vhdx$/i.test(f));
  const base = disks.filter((f) => /\.vhdx$/i.test(f));
  expect(base).toHaveLength(1);
  for (const file of base) {
    const check = runTool('qemu-img', ['check', '-f', 'vhdx', join(root, file)]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  }
  for (const file of disks) sevenZipTestVhdx(join(root, file));
}

/** The parent of the VM's current disk, relative to the store. */
async function parentOfNow(vmId: VmId): Promise<string | null> {
  const now = host?.getVm(vmId).hardDrives[0]?.path ?? '';
  return vhdxDiskLibrary.parentOf(store, relative(root, now));
}

describe('checkpoints of a running QEMU guest through the Host API', { timeout: 600_000 }, () => {
  it('Standard: applied, the VM is Saved and Start resumes the ledger where it was on a new child of its disk; Production: applied, the VM is Off and boots clean with committed records only', async (ctx) => {
    requireOutsideTools(ctx, TOOLS);
    const { host, vmId } = await ledgerHost('tiny-linux');
    await host.updateVmSettings(vmId, { checkpointType: 'Standard' });
    await host.changeVmState(vmId, 'start');
    const before = await ledger(vmId, (l) => l.committed >= 2);

    // The checkpoint's instant is when QEMU stops the guest, at the end of writing its memory: the
    // last ledger line printed before the checkpoint returns is at or just before it.
    let lastBeforeReturn: LedgerLine = before;
    const stopWatching = guestOf(vmId).qemu.console.onLine((line) => {
      const parsed = parseGuestSerialLine(line);
      if (parsed?.kind === 'ledger') lastBeforeReturn = parsed;
    });
    const standard = await host.createCheckpoint(vmId, { name: 'Standard while running' });
    stopWatching();
    expect(standard).toMatchObject({ kind: 'Standard', fallbackReason: null });
    expect(host.getVm(vmId).state).toBe('Running');
    const standardDisk = relative(root, standard.hardDrives[0] ?? '');
    expect(await parentOfNow(vmId)).toBe(standardDisk);
    // The guest goes on in Now's new disk.
    const later = await ledger(
      vmId,
      (l) =>
        l.committed >= lastBeforeReturn.committed + 4 &&
        l.uptimeSeconds >= lastBeforeReturn.uptimeSeconds + 4,
    );
    expect(later.bootId).toBe(before.bootId);
    expect(later.committed).toBeGreaterThan(before.committed);

    await host.updateVmSettings(vmId, { checkpointType: 'ProductionOnly' });
    const production = await host.createCheckpoint(vmId, { name: 'Production while running' });
    expect(production).toMatchObject({ kind: 'Production', fallbackReason: null });
    const afterProduction = await ledger(vmId);
    expect(afterProduction.bootId).toBe(before.bootId);
    expect(host.listCheckpoints(vmId).checkpoints.map((c) => c.name)).toEqual([
      'Standard while running',
      'Production while running',
    ]);
    const created = await host.queryEventLog({ vmId, text: 'successfully created checkpoint' });
    expect(created.total).toBe(2);

    // Apply the Standard checkpoint: QEMU stops, the VM is Saved.
    const running = guestOf(vmId);
    const applied = await host.applyCheckpoint(vmId, standard.id);
    expect(applied.state).toBe('Saved');
    await expect(running.qemu.exited).resolves.toBeDefined();
    expect(await parentOfNow(vmId)).toBe(standardDisk);
    await host.changeVmState(vmId, 'start');
    const resumed = await ledger(vmId);
    expect(resumed.bootId).toBe(before.bootId);
    expect(resumed.committed).toBeGreaterThanOrEqual(before.committed);
    expect(resumed.committed).toBeLessThan(later.committed);
    expect(resumed.uptimeSeconds).toBeGreaterThanOrEqual(before.uptimeSeconds);
    expect(resumed.uptimeSeconds).toBeLessThan(later.uptimeSeconds);
    const next = await ledger(vmId, (l) => l.committed > resumed.committed);
    expect(next.bootId).toBe(before.bootId);

    // Apply the Production checkpoint: no memory, the VM is Off; the next boot is clean.
    const resumedGuest = guestOf(vmId);
    expect((await host.applyCheckpoint(vmId, production.id)).state).toBe('Off');
    await expect(resumedGuest.qemu.exited).resolves.toBeDefined();
    expect(await parentOfNow(vmId)).toBe(relative(root, production.hardDrives[0] ?? ''));
    await host.changeVmState(vmId, 'start');
    const check = await guestOf(vmId).qemu.console.waitForLine(/^HVM-LEDGER-CHECK /, BOOT_MS);
    const parsed = parseGuestSerialLine(check);
    expect(parsed).toMatchObject({ kind: 'ledger-check', ok: true, tornTail: false });
    const committed = parsed?.kind === 'ledger-check' && parsed.ok ? parsed.committed : -1;
    expect(committed).toBeGreaterThanOrEqual(later.committed);
    expect(committed).toBeLessThanOrEqual(afterProduction.committed);
    expect((await ledger(vmId)).bootId).not.toBe(before.bootId);

    await host.changeVmState(vmId, 'turn-off');
    await checkChain();
  });

  it('without a guest agent: ProductionOnly fails with Hyper-V’s error and creates nothing; Production falls back to Standard with the reason', async (ctx) => {
    requireOutsideTools(ctx, TOOLS);
    const { host, vmId } = await ledgerHost('tiny-linux-noagent');
    await host.updateVmSettings(vmId, { checkpointType: 'ProductionOnly' });
    await host.changeVmState(vmId, 'start');
    const before = await ledger(vmId, (l) => l.committed >= 1);
    const filesBefore = await filesOf();

    await expect(host.createCheckpoint(vmId, { name: 'Refused' })).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
      message: expect.stringContaining(
        "Could not create a production checkpoint for 'Ledger VM': the guest has no integration services installed",
      ) as unknown,
    });
    expect(host.listCheckpoints(vmId).checkpoints).toEqual([]);
    expect(await filesOf()).toEqual(filesBefore);
    expect(host.getVm(vmId).state).toBe('Running');
    expect(await guestOf(vmId).qemu.status()).toBe('running');

    await host.updateVmSettings(vmId, { checkpointType: 'Production' });
    const fellBack = await host.createCheckpoint(vmId, { name: 'Fell back' });
    expect(fellBack).toMatchObject({
      kind: 'Standard',
      fallbackReason: 'no-integration-services',
    });
    const warning = await host.queryEventLog({ vmId, text: 'Production checkpoints cannot be' });
    expect(warning.entries[0]?.message).toMatch(
      /^Production checkpoints cannot be created for 'Ledger VM': the guest has no integration services installed/,
    );
    const after = await ledger(vmId);
    expect(after.bootId).toBe(before.bootId);

    // Paused: no guest can prepare its disks; Standard, with QEMU's saved state, and it stays Paused.
    await host.changeVmState(vmId, 'pause');
    const whilePaused = await host.createCheckpoint(vmId, { name: 'Paused' });
    expect(whilePaused).toMatchObject({ kind: 'Standard', fallbackReason: 'vm-paused' });
    expect(host.getVm(vmId).state).toBe('Paused');
    await host.changeVmState(vmId, 'resume');
    expect((await ledger(vmId)).bootId).toBe(before.bootId);

    // A Standard checkpoint holds the memory: applied and started, the same boot goes on.
    expect((await host.applyCheckpoint(vmId, fellBack.id)).state).toBe('Saved');
    await host.changeVmState(vmId, 'start');
    expect((await ledger(vmId)).bootId).toBe(before.bootId);
    await host.changeVmState(vmId, 'turn-off');
    await checkChain();
  });

  it('a host killed in the middle of a Standard checkpoint of a running guest comes back with the chain whole: no checkpoint, nothing orphaned, every committed record kept', async (ctx) => {
    requireOutsideTools(ctx, TOOLS);
    // The checkpoint's configuration (a GUID-named `.json` that is not the VM's own) is never
    // written: the host is killed while it waits.
    let vmWhoseCheckpointStops: string | null = null;
    const isCheckpointConfiguration = (path: string): boolean => {
      const name = path.split('/').at(-1) ?? '';
      return /^[0-9a-f-]{36}\.json$/i.test(name) && name !== `${vmWhoseCheckpointStops}.json`;
    };
    const stopping: FileStore = {
      ...store,
      writeFileAtomic: (path, data) =>
        vmWhoseCheckpointStops !== null && isCheckpointConfiguration(path)
          ? new Promise<void>(() => undefined)
          : store.writeFileAtomic(path, data),
    };
    const started = await ledgerHost('tiny-linux', stopping);
    const { vmId, test } = started;
    await started.host.updateVmSettings(vmId, { checkpointType: 'Standard' });
    await started.host.changeVmState(vmId, 'start');
    const before = await ledger(vmId, (l) => l.committed >= 2);
    const baseDisk = started.host.getVm(vmId).hardDrives[0]?.path;

    vmWhoseCheckpointStops = vmId;
    killed = started.host;
    guestOf(vmId);
    void started.host.createCheckpoint(vmId, { name: 'Interrupted' });
    // Now is on its new disk and the guest goes on writing there.
    await vi.waitFor(
      () => expect(started.host.getVm(vmId).hardDrives[0]?.path).toMatch(/\.avhdx$/),
      { timeout: 120_000, interval: 200 },
    );
    const written = await ledger(vmId, (l) => l.committed > before.committed + 1);
    expect(written.bootId).toBe(before.bootId);

    // Killed: QEMU goes with the host, which is never closed.
    const guest = guestOf(vmId);
    await guest.turnOff();
    host = await test.restart({ close: false });
    await host.whenIdle();
    expect(host.getVm(vmId).state).toBe('Off');
    expect(host.listCheckpoints(vmId).checkpoints).toEqual([]);
    const report = await host.checkHost();
    expect(report).toMatchObject({
      ok: true,
      orphanedDisks: [],
      brokenChains: [],
      orphanedFiles: [],
      missingFiles: [],
    });
    expect(host.getVm(vmId).hardDrives[0]?.path).toBe(baseDisk);

    // The next boot finds every record the guest committed, the ones after the switch too.
    await host.changeVmState(vmId, 'start');
    const check = await guestOf(vmId).qemu.console.waitForLine(/^HVM-LEDGER-CHECK /, BOOT_MS);
    const parsed = parseGuestSerialLine(check);
    expect(parsed).toMatchObject({ kind: 'ledger-check', ok: true });
    const committed = parsed?.kind === 'ledger-check' && parsed.ok ? parsed.committed : -1;
    expect(committed).toBeGreaterThanOrEqual(written.committed);
    await host.changeVmState(vmId, 'turn-off');
    await checkChain();
  });

  it('a host killed while a Standard checkpoint’s memory is written in the background: the guest ran on meanwhile, and the host comes back with no checkpoint, nothing orphaned and every committed record', async (ctx) => {
    requireOutsideTools(ctx, TOOLS);
    // The memory file is written slowly enough to be killed in the middle of it.
    const started = await ledgerHost('tiny-linux', store, 256 * 1024);
    const { vmId, test } = started;
    await started.host.updateVmSettings(vmId, { checkpointType: 'Standard' });
    await started.host.changeVmState(vmId, 'start');
    const before = await ledger(vmId, (l) => l.committed >= 2);
    const baseDisk = started.host.getVm(vmId).hardDrives[0]?.path;

    killed = started.host;
    guestOf(vmId);
    let finished = false;
    void started.host
      .createCheckpoint(vmId, { name: 'Memory in the background' })
      .finally(() => (finished = true))
      .catch(() => undefined);
    // The Task shows the memory being written.
    await vi.waitFor(
      () => expect(started.host.getVm(vmId).status).toMatch(/^Creating checkpoint \(\d+%\)$/),
      { timeout: 120_000, interval: 100 },
    );
    // The guest is not held while its memory is written: it commits more records meanwhile.
    const written = await ledger(vmId, (l) => l.committed > before.committed + 1);
    expect(written.bootId).toBe(before.bootId);
    expect(finished).toBe(false);
    expect(started.host.listCheckpoints(vmId).checkpoints).toEqual([]);
    expect(await guestOf(vmId).qemu.status()).toBe('running');
    // Now's new disk is made before QEMU stops the guest (the pause holds only the switch), and
    // the guest still writes to the disk it had.
    expect((await filesOf()).filter((f) => f.endsWith('.avhdx'))).toHaveLength(1);
    expect(started.host.getVm(vmId).hardDrives[0]?.path).toBe(baseDisk);

    // Killed: QEMU goes with the host, which is never closed.
    await guestOf(vmId).turnOff();
    host = await test.restart({ close: false });
    await host.whenIdle();
    expect(host.getVm(vmId).state).toBe('Off');
    expect(host.listCheckpoints(vmId).checkpoints).toEqual([]);
    expect(await host.checkHost()).toMatchObject({
      ok: true,
      orphanedDisks: [],
      brokenChains: [],
      orphanedFiles: [],
      missingFiles: [],
    });
    expect(host.getVm(vmId).hardDrives[0]?.path).toBe(baseDisk);
    expect((await filesOf()).filter((f) => f.endsWith('.vmrs'))).toEqual([]);
    // The new disk was the host's (marked before it existed): taken back, not left orphaned.
    expect((await filesOf()).filter((f) => f.endsWith('.avhdx'))).toEqual([]);

    await host.changeVmState(vmId, 'start');
    const check = await guestOf(vmId).qemu.console.waitForLine(/^HVM-LEDGER-CHECK /, BOOT_MS);
    const parsed = parseGuestSerialLine(check);
    expect(parsed).toMatchObject({ kind: 'ledger-check', ok: true });
    const committed = parsed?.kind === 'ledger-check' && parsed.ok ? parsed.committed : -1;
    expect(committed).toBeGreaterThanOrEqual(written.committed);
    await host.changeVmState(vmId, 'turn-off');
    await checkChain();
  });
});
