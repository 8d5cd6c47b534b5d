// The tiny-linux images booted by qemu-system-x86_64 under TCG, with no product code. Two boots on
// one data disk: the variant without the agent formats the empty disk, runs the ledger and is
// turned off hard (QEMU killed); tiny-linux then boots on the same disk, finds the committed
// records kept, answers through its agent, and halts on ACPI power-down.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGuestImage, type GuestImage } from './guestImage.js';
import { QemuGuest, isBoot, isCheck, isLedger, isPoweroff, isReady } from './testing/qemuGuest.js';
import { inCi, missingGuestTools } from './testing/tools.js';

/** Bounds for a hung guest (TCG on a busy machine), not speed goals. */
const BOOT_MS = 150_000;
const STEP_MS = 60_000;
const BATCH = 4; // records per commit (sbin/hvm-ledger)

const missing = missingGuestTools();
if (missing !== undefined && !inCi) {
  console.warn(`tiny-linux guest tests skipped: ${missing}`);
}

describe.skipIf(missing !== undefined && !inCi)('tiny-linux under QEMU (TCG)', () => {
  let dir = '';
  let disk = '';
  let agentImage: GuestImage;
  let noAgentImage: GuestImage;
  let guest: QemuGuest | undefined;
  let firstBootId = '';
  let lastCommitted = 0;
  let secondBootId = '';

  const started = (): QemuGuest => {
    if (guest === undefined) throw new Error('the first boot did not start');
    return guest;
  };
  const lastLedger = (running: QemuGuest) => {
    const line = running.lines().filter(isLedger).at(-1);
    if (line === undefined) throw new Error('no HVM-LEDGER line yet');
    return line;
  };

  beforeAll(async () => {
    if (missing !== undefined) throw new Error(`the guest tests need: ${missing}`);
    agentImage = await ensureGuestImage('tiny-linux');
    noAgentImage = await ensureGuestImage('tiny-linux-noagent');
    dir = mkdtempSync(path.join(tmpdir(), 'hvm-guest-'));
    disk = path.join(dir, 'data.raw');
    writeFileSync(disk, '');
    execFileSync('truncate', ['-s', '64M', disk]);
  }, 300_000);

  afterAll(async () => {
    await guest?.kill();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('first boot (no agent): formats the empty data disk, passes the check, and the ledger grows', async () => {
    guest = QemuGuest.start(noAgentImage, disk, dir);
    const boot = await guest.waitFor(isBoot, BOOT_MS);
    expect(boot.agent).toBe(false);
    firstBootId = boot.bootId;
    expect(await guest.waitFor(isCheck, BOOT_MS)).toEqual({
      kind: 'ledger-check',
      ok: true,
      committed: 0,
      tornTail: false,
    });
    expect(guest.serial).toContain('tiny-linux: formatting the empty data disk /dev/vda as ext4');
    await guest.waitFor(isReady, STEP_MS);
    const first = await guest.waitFor(isLedger, STEP_MS);
    expect(first).toMatchObject({ committed: 0, inflight: BATCH, bootId: firstBootId });
    const later = await guest.waitFor(
      (l): l is typeof first => isLedger(l) && l.committed >= 2 * BATCH,
      STEP_MS,
    );
    expect(later).toMatchObject({ inflight: BATCH, bootId: firstBootId });
    expect(later.uptimeSeconds).toBeGreaterThan(first.uptimeSeconds);
  }, 300_000);

  it('the variant without the agent has no qemu-guest-agent', () => {
    const running = started();
    expect(running.serial.some((line) => line.includes('qemu-guest-agent listens'))).toBe(false);
    const listing = execFileSync('sh', ['-c', `gzip -dc '${noAgentImage.initrd}' | cpio -t`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(listing).not.toMatch(/qemu-ga/);
    expect(noAgentImage.agent).toBe(false);
    expect(agentImage.agent).toBe(true);
  });

  it('after a hard turn-off, a fresh boot keeps the committed records and has a new boot id', async () => {
    const crashed = started();
    await crashed.kill();
    lastCommitted = lastLedger(crashed).committed;
    expect(lastCommitted).toBeGreaterThan(0);

    guest = QemuGuest.start(agentImage, disk, dir);
    const boot = await guest.waitFor(isBoot, BOOT_MS);
    expect(boot.agent).toBe(true);
    expect(boot.bootId).not.toBe(firstBootId);
    secondBootId = boot.bootId;
    const check = await guest.waitFor(isCheck, BOOT_MS);
    expect(check.ok, JSON.stringify(check)).toBe(true);
    if (!check.ok) return;
    // Records in flight are lost; a batch committed after the last line was printed is kept.
    expect(check.committed).toBeGreaterThanOrEqual(lastCommitted);
    expect(check.committed).toBeLessThanOrEqual(lastCommitted + BATCH);
    expect(guest.serial).not.toContain(
      'tiny-linux: formatting the empty data disk /dev/vda as ext4',
    );
    await guest.waitFor(isReady, STEP_MS);
    const first = await guest.waitFor(isLedger, STEP_MS);
    expect(first).toMatchObject({ committed: check.committed, bootId: secondBootId });
    await guest.waitFor(
      (l): l is typeof first => isLedger(l) && l.committed > check.committed,
      STEP_MS,
    );
  }, 300_000);

  it('the guest agent answers guest-ping, freezes and thaws /data, and runs ledger-status', async () => {
    const running = started();
    const agent = await running.agent();
    try {
      expect(await agent.execute('guest-ping')).toEqual({});
      expect(await agent.execute('guest-fsfreeze-status')).toBe('thawed');
      expect(await agent.execute('guest-fsfreeze-freeze')).toBeGreaterThanOrEqual(1);
      expect(await agent.execute('guest-fsfreeze-status')).toBe('frozen');
      expect(await agent.execute('guest-fsfreeze-thaw')).toBeGreaterThanOrEqual(1);
      expect(await agent.execute('guest-fsfreeze-status')).toBe('thawed');

      const seen = lastLedger(running);
      const { pid } = (await agent.execute('guest-exec', {
        path: '/bin/ledger-status',
        'capture-output': true,
      })) as { pid: number };
      let status: { exited: boolean; exitcode?: number; 'out-data'?: string };
      do {
        status = (await agent.execute('guest-exec-status', { pid })) as typeof status;
      } while (!status.exited);
      expect(status.exitcode).toBe(0);
      const figures = JSON.parse(
        Buffer.from(status['out-data'] ?? '', 'base64').toString('utf8'),
      ) as { running: boolean; boot: string; committed: number; inflight: number };
      expect(figures).toMatchObject({ running: true, boot: secondBootId, inflight: BATCH });
      expect(figures.committed).toBeGreaterThanOrEqual(seen.committed);
    } finally {
      agent.close();
    }
  }, 120_000);

  it('resumed from a saved state, the same boot goes on with its counters and its agent', async () => {
    const running = started();
    const before = lastLedger(running);
    const state = path.join(dir, 'saved.state');
    await running.saveState(state);

    guest = QemuGuest.start(agentImage, disk, dir, state);
    await guest.resume();
    const after = await guest.waitFor(isLedger, STEP_MS);
    expect(after.bootId).toBe(secondBootId);
    expect(after.committed).toBeGreaterThanOrEqual(before.committed);
    expect(after.uptimeSeconds).toBeGreaterThanOrEqual(before.uptimeSeconds);
    // No boot happened: no boot line, no check.
    expect(guest.lines().some((l) => isBoot(l) || isCheck(l))).toBe(false);
    const agent = await guest.agent();
    try {
      expect(await agent.execute('guest-ping')).toEqual({});
    } finally {
      agent.close();
    }
  }, 120_000);

  it('ACPI power-down (system_powerdown) halts the guest and QEMU exits', async () => {
    const running = started();
    const qmp = await running.qmp();
    try {
      await qmp.execute('system_powerdown');
      await running.waitFor(isPoweroff, STEP_MS);
      expect(await running.exited).toBe(0);
      expect(running.serial).toContain('tiny-linux: /data unmounted');
    } finally {
      qmp.close();
    }
    guest = undefined;
  }, 120_000);
});
