import { vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { openDisk, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import type { DiskLibrary } from '../disk/diskLibrary.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { VmId } from '../types.js';

/** Merges run on the disk library's mergeDisk, or on a slow copying merge until it exists. */
const disks = vhdxDiskLibrary;
const NOW_OFFSET = 3 * 1024 * 1024;
const BRANCH_OFFSET = 9 * 1024 * 1024;

async function writeAt(store: FileStore, path: string, offset: number, text: string) {
  const disk = await openDisk(store, path, { writable: true });
  try {
    const bytes = new Uint8Array(16);
    bytes.set(new TextEncoder().encode(text));
    await disk.write(bytes, offset);
    await disk.flush();
  } finally {
    await disk.close();
  }
}

async function readAt(store: FileStore, path: string, offset: number): Promise<string> {
  const disk = await openDisk(store, path);
  try {
    const bytes = new Uint8Array(16);
    await disk.read(bytes, offset);
    return new TextDecoder().decode(bytes).replace(/\0+$/, '');
  } finally {
    await disk.close();
  }
}

const nowDisk = (host: Host, vmId: VmId): string => host.getVm(vmId).hardDrives[0]?.path ?? '';

/**
 * A VM with the tree A → B, A → C → Now: B's branch wrote at BRANCH_OFFSET, Now's last write at
 * NOW_OFFSET is "now".
 */
async function vmWithBranches(host: Host, store: FileStore, name: string) {
  const vm = await buildVm(host, { name, guestImage: null });
  await writeAt(store, nowDisk(host, vm.id), NOW_OFFSET, 'first');
  const a = await host.createCheckpoint(vm.id, { name: 'A' });
  await writeAt(store, nowDisk(host, vm.id), BRANCH_OFFSET, 'branch B');
  await host.createCheckpoint(vm.id, { name: 'B' });
  await host.applyCheckpoint(vm.id, a.id);
  await writeAt(store, nowDisk(host, vm.id), NOW_OFFSET, 'second');
  await host.createCheckpoint(vm.id, { name: 'C' });
  await writeAt(store, nowDisk(host, vm.id), NOW_OFFSET, 'now');
  return vm;
}

describe('Delete VM keeps the virtual hard disks (behaviour spec R26, Remove-VM)', () => {
  it('its checkpoints go, Now merges into the .vhdx, which stays as a free disk with the current content', async () => {
    const test = await createTestHost({ disks });
    const { host, store } = test;
    const vm = await vmWithBranches(host, store, 'KEEP-ME');
    const base = 'Virtual Hard Disks/KEEP-ME.vhdx';
    expect((await store.list('Virtual Hard Disks')).length).toBeGreaterThan(2);

    await host.deleteVm(vm.id);
    await host.whenIdle();

    expect(host.listVms()).toEqual([]);
    expect(await store.list('Virtual Hard Disks')).toEqual(['KEEP-ME.vhdx']);
    expect(await store.list('Snapshots')).toEqual([]);
    expect(await store.list('Virtual Machines')).toEqual([]);
    // What the VM saw last, and nothing of the deleted branch.
    expect(await readAt(store, base, NOW_OFFSET)).toBe('now');
    expect(await readAt(store, base, BRANCH_OFFSET)).toBe('');
    expect(await host.listDisks()).toMatchObject([{ path: base, extension: 'vhdx', usedBy: [] }]);
    expect(await host.inspectDisk(base)).toMatchObject({ type: 'Dynamic', parentPath: null });
    // A .vhdx nobody uses is normal in Hyper-V: no problem for Check Host.
    expect(await host.checkHost()).toMatchObject({ ok: true, orphanedDisks: [] });

    const restarted = await test.restart();
    expect(await restarted.listDisks()).toMatchObject([{ path: base, usedBy: [] }]);
    expect(await readAt(store, base, NOW_OFFSET)).toBe('now');
  });

  it('a Saved VM: its saved state goes, its disk stays', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host, { name: 'SAVED-ONE', guestImage: null, state: 'Saved' });
    expect(await store.exists(`Virtual Machines/${vm.id}.vmrs`)).toBe(true);
    await host.deleteVm(vm.id);
    await host.whenIdle();
    expect(await store.list('Virtual Machines')).toEqual([]);
    expect(await store.list('Virtual Hard Disks')).toEqual(['SAVED-ONE.vhdx']);
  });

  it('must be Off or Saved', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await buildVm(host, { guestImage: null, state: 'Running' });
    await expect(host.deleteVm(vm.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(host.getVm(vm.id).state).toBe('Running');
    expect(await store.exists(nowDisk(host, vm.id))).toBe(true);
  });

  it('a new VM of the same name gets a disk of its own and never overwrites the kept one', async () => {
    const { host, store } = await createTestHost({ disks });
    const first = await buildVm(host, { name: 'SAME', guestImage: null });
    await writeAt(store, nowDisk(host, first.id), NOW_OFFSET, 'keep me');
    await host.deleteVm(first.id);
    await host.whenIdle();

    const second = await buildVm(host, { name: 'SAME', guestImage: null });
    expect(nowDisk(host, second.id)).toBe('Virtual Hard Disks/SAME_2.vhdx');
    expect(await readAt(store, 'Virtual Hard Disks/SAME.vhdx', NOW_OFFSET)).toBe('keep me');
    expect(await readAt(store, nowDisk(host, second.id), NOW_OFFSET)).toBe('');
  });

  it('the event log says the VM was deleted and names it in the merge that follows', async () => {
    const { host, store } = await createTestHost({ disks });
    const vm = await vmWithBranches(host, store, 'LOGGED');
    await host.deleteVm(vm.id);
    await host.whenIdle();
    const messages = (await host.queryEventLog()).entries.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringContaining("The virtual machine 'LOGGED' was deleted."),
    );
    expect(messages).toContainEqual(
      expect.stringContaining("The background disk merge for 'LOGGED' has completed successfully."),
    );
  });
});

describe('Delete VM, interrupted', () => {
  /** A disk library whose merges fail while `failing` is set, as a host killed mid-merge would leave them. */
  function failingMerges(): { disks: DiskLibrary; failing: { on: boolean } } {
    const failing = { on: true };
    return {
      failing,
      disks: {
        ...disks,
        mergeDisk: async (store, child, options) => {
          if (failing.on) throw new Error('the merge was cut short');
          await disks.mergeDisk(store, child, options);
        },
      },
    };
  }

  it('a deletion whose merge did not finish is finished when the host starts again; Check Host is clean meanwhile', async () => {
    const { disks: broken, failing } = failingMerges();
    const test = await createTestHost({ disks: broken });
    const vm = await vmWithBranches(test.host, test.store, 'HALF-DONE');
    await test.host.deleteVm(vm.id);
    await test.host.whenIdle();

    expect(test.host.listVms()).toEqual([]);
    // The VM's differencing disks wait for their merge; they are no orphans.
    expect(await test.host.checkHost()).toMatchObject({ ok: true, orphanedDisks: [] });

    failing.on = false;
    const host = await test.restart({ close: false });
    await host.whenIdle();
    expect(host.listVms()).toEqual([]);
    expect(await test.store.list('Virtual Hard Disks')).toEqual(['HALF-DONE.vhdx']);
    expect(await test.store.list('Virtual Machines')).toEqual([]);
    expect(await readAt(test.store, 'Virtual Hard Disks/HALF-DONE.vhdx', NOW_OFFSET)).toBe('now');
    expect(await host.checkHost()).toMatchObject({ ok: true });
  });

  it('a host that closes during the merge finishes the deletion at its next start', async () => {
    const test = await createTestHost({ disks });
    const vm = await vmWithBranches(test.host, test.store, 'CLOSED');
    await test.host.deleteVm(vm.id);
    const host = await test.restart();
    await host.whenIdle();
    expect(await test.store.list('Virtual Hard Disks')).toEqual(['CLOSED.vhdx']);
    expect(await test.store.list('Virtual Machines')).toEqual([]);
    expect(await readAt(test.store, 'Virtual Hard Disks/CLOSED.vhdx', NOW_OFFSET)).toBe('now');
  });
});
