import { describe, expect, it } from 'vitest';
import { FakeClock, buildVm, createTestHost } from '../testing/index.js';
import { defaultCheckpointName } from './checkpointName.js';

describe('Create checkpoint (behaviour spec §1.5, §4.2, §4.9)', () => {
  it('Production on a running VM with an OS and the Backup service on is a Production checkpoint without memory', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'before patch' });
    expect(checkpoint).toMatchObject({
      kind: 'Production',
      snapshotType: 'Standard',
      hasSavedState: false,
      note: expect.stringMatching(/^production: File systems frozen/) as unknown,
      vmState: 'Running',
    });
    expect(host.getVm(vm.id)).toMatchObject({
      state: 'Running',
      parentCheckpointId: checkpoint.id,
      parentCheckpointName: 'before patch',
    });
  });

  it('Production falls back to Standard with memory when the Backup (volume shadow copy) service is off', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, { integrationServices: { backup: false } });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Standard', hasSavedState: true });
    expect(checkpoint.note).toBe(
      'fell back to Standard: the Backup (volume shadow copy) integration service is off',
    );
  });

  it('Production falls back to Standard when no operating system runs', async () => {
    const { host } = await createTestHost();
    const blank = await buildVm(host, { state: 'Running', guestImage: null });
    expect(await host.createCheckpoint(blank.id)).toMatchObject({
      kind: 'Standard',
      hasSavedState: true,
    });
  });

  it('ProductionOnly on a VM whose Backup service is off fails and creates nothing', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, {
      checkpointType: 'ProductionOnly',
      integrationServices: { backup: false },
    });
    const before = {
      disks: await store.list('Virtual Hard Disks'),
      snapshots: await store.list('Snapshots'),
    };
    await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
    });
    expect({
      disks: await store.list('Virtual Hard Disks'),
      snapshots: await store.list('Snapshots'),
    }).toEqual(before);
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  it('ProductionOnly fails on a Saved or Paused VM and succeeds disk-only on an Off VM', async () => {
    const { host } = await createTestHost();
    const saved = await buildVm(host, { state: 'Saved' });
    await host.updateVmSettings(saved.id, { checkpointType: 'ProductionOnly' });
    await expect(host.createCheckpoint(saved.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
    });
    const paused = await buildVm(host, { state: 'Paused' });
    await host.updateVmSettings(paused.id, { checkpointType: 'ProductionOnly' });
    await expect(host.createCheckpoint(paused.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
    });
    const off = await buildVm(host);
    await host.updateVmSettings(off.id, { checkpointType: 'ProductionOnly' });
    expect(await host.createCheckpoint(off.id)).toMatchObject({
      kind: 'Production',
      hasSavedState: false,
      note: 'the virtual machine is off: disk-only checkpoint',
    });
  });

  it('an Off VM gets the same disk-only Production checkpoint under Production and ProductionOnly', async () => {
    // One rule (behaviour spec §1.3, §1.5): with the VM off there is no guest and no memory, so the
    // checkpoint is the disks and the configuration whichever Production setting is chosen; as
    // ProductionOnly succeeds (§1.5's recommendation), it is a Production checkpoint, not a fallback.
    const { host } = await createTestHost();
    const labels = [];
    for (const checkpointType of ['Production', 'ProductionOnly'] as const) {
      const vm = await buildVm(host);
      await host.updateVmSettings(vm.id, { checkpointType });
      const { kind, note, fallbackReason, hasSavedState } = await host.createCheckpoint(vm.id);
      labels.push({ kind, note, fallbackReason, hasSavedState });
    }
    expect(labels[0]).toEqual({
      kind: 'Production',
      note: 'the virtual machine is off: disk-only checkpoint',
      fallbackReason: null,
      hasSavedState: false,
    });
    expect(labels[1]).toEqual(labels[0]);
  });

  it('Production on a Paused or Saved VM falls back to Standard and keeps the memory', async () => {
    const { host } = await createTestHost();
    const paused = await buildVm(host, { state: 'Paused' });
    expect(await host.createCheckpoint(paused.id)).toMatchObject({
      kind: 'Standard',
      hasSavedState: true,
      vmState: 'Paused',
    });
    const saved = await buildVm(host, { state: 'Saved' });
    const checkpoint = await host.createCheckpoint(saved.id);
    expect(checkpoint).toMatchObject({ kind: 'Standard', hasSavedState: true, vmState: 'Saved' });
    expect(checkpoint.note).toMatch(/^fell back to Standard: the virtual machine is saved/);
    expect(checkpoint.sizeOnDiskBytes).toBeGreaterThan(0);
  });

  it('Standard on a running VM saves the memory into the checkpoint’s .vmrs', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Standard', hasSavedState: true, note: null });
    const stat = await store.stat(`Snapshots/${checkpoint.id}.vmrs`);
    expect(stat.size).toBe(4096 + 512 * 1024 * 1024);
    expect(await store.exists(`Snapshots/${checkpoint.id}.json`)).toBe(true);
  });

  it('Disabled checkpoints are refused with Hyper-V’s message', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await host.updateVmSettings(vm.id, { checkpointType: 'Disabled' });
    await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'CHECKPOINTS_DISABLED',
      message: expect.stringContaining(
        `Checkpoints have been disabled for '${vm.name}'. (Virtual machine ID ${vm.id.toUpperCase()}).`,
      ) as unknown,
    });
  });

  it("a checkpoint's default name is '<VM> - (M/D/YYYY - h:mm:ss AM)'", async () => {
    expect(defaultCheckpointName('WEB01', new Date(2024, 2, 5, 9, 7, 5))).toBe(
      'WEB01 - (3/5/2024 - 9:07:05 AM)',
    );
    expect(defaultCheckpointName('WEB01', new Date(2024, 11, 25, 0, 0, 9))).toBe(
      'WEB01 - (12/25/2024 - 12:00:09 AM)',
    );
    expect(defaultCheckpointName('WEB01', new Date(2024, 0, 1, 15, 30, 0))).toBe(
      'WEB01 - (1/1/2024 - 3:30:00 PM)',
    );
    const { host } = await createTestHost({
      clock: new FakeClock(new Date(2023, 2, 30, 15, 2, 28)),
    });
    const vm = await buildVm(host, { name: 'WIN10-TEST' });
    expect((await host.createCheckpoint(vm.id)).name).toBe('WIN10-TEST - (3/30/2023 - 3:02:28 PM)');
  });

  it('the new checkpoint freezes Now’s disk and Now writes a new <disk>_<GUID>.avhdx in the same folder', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'Disk1' });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint.hardDrives).toEqual(['Virtual Hard Disks/Disk1.vhdx']);
    const drive = host.getVm(vm.id).hardDrives[0];
    expect(drive?.path).toMatch(
      /^Virtual Hard Disks\/Disk1_[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\.avhdx$/,
    );
    expect(drive?.chain).toEqual([drive?.path, 'Virtual Hard Disks/Disk1.vhdx']);
  });

  it('the 51st checkpoint is refused', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    for (let i = 0; i < 50; i += 1) await host.createCheckpoint(vm.id, { name: `c${i}` });
    await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 50 },
    });
    expect(host.getVm(vm.id).checkpointCount).toBe(50);
  });

  it('names are trimmed, 1-100 characters; duplicates are allowed; Rename follows the same rule', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const a = await host.createCheckpoint(vm.id, { name: ' same ' });
    const b = await host.createCheckpoint(vm.id, { name: 'same' });
    expect([a.name, b.name]).toEqual(['same', 'same']);
    await expect(host.createCheckpoint(vm.id, { name: ' ' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(host.renameCheckpoint(vm.id, a.id, 'y'.repeat(101))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await host.renameCheckpoint(vm.id, a.id, 'renamed')).toMatchObject({
      id: a.id,
      name: 'renamed',
    });
  });

  it('the Status column shows "Creating checkpoint (n%)" while it runs', async () => {
    const { host, clock } = await createTestHost({ timing: { checkpoint: 200 } });
    const vm = await buildVm(host);
    const statuses: string[] = [];
    host.subscribe((e) => {
      if (e.type === 'vm-changed') statuses.push(e.vm.status);
    });
    const done = host.createCheckpoint(vm.id);
    await clock.advance(300);
    await done;
    expect(statuses).toEqual(
      expect.arrayContaining([
        'Creating checkpoint (0%)',
        'Creating checkpoint (50%)',
        'Operating normally',
      ]),
    );
  });
});
