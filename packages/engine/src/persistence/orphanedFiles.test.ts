import { createDifferencingDisk, memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { pendingDiskMarkerPath } from './pendingDisks.js';

// Issue 17, "Loading never deletes a file it cannot prove it created and abandoned (its own
// journal or temporary files); anything else is reported by Check Host as orphaned". A checkpoint's
// configuration and saved state carry GUID names, as Hyper-V's do (R21: <GUID>.vmcx / .vmrs in the
// Snapshots folder), so a GUID name alone proves nothing: a copied-in file has one too.
const GUID = '7d2a5a3e-1111-4222-8333-444455556666';
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('checkpoint files no VM lists are kept on load', () => {
  it('a GUID-named checkpoint configuration and saved state survive a reload; Check Host lists them as orphaned files', async () => {
    const test = await createTestHost();
    await buildVm(test.host, { name: 'KEEP' });
    await test.store.mkdirp('Snapshots');
    await test.store.writeFileAtomic(`Snapshots/${GUID}.json`, encode('{"id":"copied"}'));
    await test.store.writeFileAtomic(`Snapshots/${GUID.toUpperCase()}.vmrs`, new Uint8Array(4096));

    const again = await test.restart({ close: false });
    expect(await test.store.exists(`Snapshots/${GUID}.json`)).toBe(true);
    expect(await test.store.exists(`Snapshots/${GUID.toUpperCase()}.vmrs`)).toBe(true);
    const report = await again.checkHost();
    expect(report.ok).toBe(false);
    expect(report.orphanedDisks).toEqual([]);
    expect(report.orphanedFiles).toEqual([
      {
        path: `Snapshots/${GUID}.json`,
        kind: 'Checkpoint configuration',
        reason: 'The file belongs to no checkpoint and to no virtual machine.',
      },
      {
        path: `Snapshots/${GUID.toUpperCase()}.vmrs`,
        kind: 'Saved state',
        reason: 'The file belongs to no checkpoint and to no virtual machine.',
      },
    ]);
  });

  it("a saved state named after no VM is kept and reported; a loaded VM's own stale saved state is removed", async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'OWN' });
    await test.store.writeFileAtomic(`Virtual Machines/${GUID}.vmrs`, new Uint8Array(10));
    // The VM is Off: a saved state in its own name is what an interrupted Start left.
    await test.store.writeFileAtomic(`Virtual Machines/${vm.id}.vmrs`, new Uint8Array(10));

    const again = await test.restart({ close: false });
    expect(await test.store.exists(`Virtual Machines/${GUID}.vmrs`)).toBe(true);
    expect(await test.store.exists(`Virtual Machines/${vm.id}.vmrs`)).toBe(false);
    expect((await again.checkHost()).orphanedFiles).toEqual([
      expect.objectContaining({ path: `Virtual Machines/${GUID}.vmrs`, kind: 'Saved state' }),
    ]);
  });

  it('checkpoint files marked as the host’s own (written before a commit that never came) are removed on load', async () => {
    const test = await createTestHost();
    await buildVm(test.host, { name: 'CUT' });
    await test.store.mkdirp('Snapshots');
    for (const path of [`Snapshots/${GUID}.json`, `Snapshots/${GUID}.vmrs`]) {
      await test.store.writeFileAtomic(pendingDiskMarkerPath(path), new Uint8Array(0));
      await test.store.writeFileAtomic(path, new Uint8Array(10));
    }
    const again = await test.restart({ close: false });
    expect(await test.store.list('Snapshots')).toEqual([]);
    expect(await again.checkHost()).toMatchObject({ ok: true, orphanedFiles: [] });
  });

  it('a checkpoint leaves no marker once created, and one deleted while its files could not be removed goes on the next load', async () => {
    const inner = memoryFileStore();
    let failUnlinks = false;
    const store: FileStore = {
      ...inner,
      unlink: async (path) => {
        if (failUnlinks && path.startsWith('Snapshots/') && !path.endsWith('.pending'))
          throw new Error('host stopped');
        await inner.unlink(path);
      },
    };
    const test = await createTestHost({ store });
    const vm = await buildVm(test.host, { name: 'DEL', state: 'Running' });
    await test.host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    const a = await test.host.createCheckpoint(vm.id, { name: 'A' });
    const written = [`${a.id}.json`, `${a.id}.vmrs`].sort();
    expect((await inner.list('Snapshots')).sort()).toEqual(written);

    failUnlinks = true;
    await test.host.deleteCheckpoint(vm.id, a.id);
    await test.host.whenIdle();
    const left = (await inner.list('Snapshots')).sort();
    expect(left.filter((n) => !n.endsWith('.pending'))).toEqual(written);
    expect(left.filter((n) => n.endsWith('.pending'))).toHaveLength(2);
    failUnlinks = false;
    await test.host.changeVmState(vm.id, 'turn-off');
    const again = await test.restart({ close: false });
    expect(await inner.list('Snapshots')).toEqual([]);
    expect(await again.checkHost()).toMatchObject({ ok: true, orphanedFiles: [] });
  });

  it("a deleted VM's checkpoint files go even when the host stopped before removing them", async () => {
    const inner = memoryFileStore();
    let failUnlinks = false;
    const store: FileStore = {
      ...inner,
      unlink: async (path) => {
        if (failUnlinks && path.startsWith('Snapshots/') && !path.endsWith('.pending'))
          throw new Error('host stopped');
        await inner.unlink(path);
      },
    };
    const test = await createTestHost({ store });
    const vm = await buildVm(test.host, { name: 'GONE' });
    await test.host.createCheckpoint(vm.id, { name: 'A' });
    failUnlinks = true;
    await test.host.deleteVm(vm.id);
    await test.host.whenIdle();
    failUnlinks = false;
    const again = await test.restart({ close: false });
    await again.whenIdle();
    expect(await inner.list('Snapshots')).toEqual([]);
    expect(await again.checkHost()).toMatchObject({ ok: true, orphanedFiles: [] });
  });
});

describe('Check Host actions on orphaned files', () => {
  it('Remove deletes a reported file and records it in the event log; it refuses files that are not orphaned', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'RM' });
    await test.store.mkdirp('Snapshots');
    await test.store.writeFileAtomic(`Snapshots/${GUID}.json`, encode('{}'));
    const disk = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';

    await expect(test.host.removeOrphanedFile(disk)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(test.host.removeOrphanedFile('../etc/passwd')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await test.store.exists(disk)).toBe(true);

    await test.host.removeOrphanedFile(`Snapshots/${GUID}.json`);
    expect(await test.store.exists(`Snapshots/${GUID}.json`)).toBe(false);
    expect(await test.host.checkHost()).toMatchObject({ ok: true, orphanedFiles: [] });
    const [entry] = (await test.host.queryEventLog()).entries;
    expect(entry).toMatchObject({
      level: 'Information',
      operation: 'Remove orphaned file',
      outcome: 'Succeeded',
      message: `The orphaned file 'Snapshots/${GUID}.json' was removed.`,
    });
  });

  it('Remove refuses an orphaned disk another orphaned disk still uses as its parent', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'PAR' });
    const base = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const parent = `Virtual Hard Disks/PAR_${GUID.toUpperCase()}.avhdx`;
    const child = 'Virtual Hard Disks/PAR_0A1B2C3D-1111-4222-8333-444455556666.avhdx';
    await createDifferencingDisk(test.store, parent, base);
    await createDifferencingDisk(test.store, child, parent);
    await expect(test.host.removeOrphanedFile(parent)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining(child) as unknown,
    });
    await test.host.removeOrphanedFile(child);
    await test.host.removeOrphanedFile(parent);
    expect(await test.host.checkHost()).toMatchObject({ ok: true, orphanedDisks: [] });
    const messages = (await test.host.queryEventLog()).entries.map((e) => e.message);
    expect(messages.filter((m) => m.startsWith('The orphaned file'))).toHaveLength(2);
  });

  it('Attach makes an orphaned disk a new hard drive of an Off VM; it refuses a running VM and a file that is not an orphaned disk', async () => {
    const test = await createTestHost();
    // A deleted VM keeps its .vhdx (R26); a checkpoint disk copied back in beside it is orphaned.
    const old = await buildVm(test.host, { name: 'OLD' });
    const kept = test.host.getVm(old.id).hardDrives[0]?.path ?? '';
    await test.host.deleteVm(old.id);
    await test.host.whenIdle();
    const orphan = `Virtual Hard Disks/OLD_${GUID.toUpperCase()}.avhdx`;
    await createDifferencingDisk(test.store, orphan, kept);
    const target = await buildVm(test.host, { name: 'NEW', generation: 2 });
    const running = await buildVm(test.host, { name: 'RUN', state: 'Running' });

    await expect(test.host.attachOrphanedDisk(running.id, { path: orphan })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await expect(test.host.attachOrphanedDisk(target.id, { path: kept })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });

    const detail = await test.host.attachOrphanedDisk(target.id, { path: orphan });
    expect(detail.hardDrives.map((d) => d.path)).toContain(orphan);
    expect(detail.hardDrives.find((d) => d.path === orphan)?.chain).toEqual([orphan, kept]);
    expect(await test.host.checkHost()).toMatchObject({ ok: true, orphanedDisks: [] });
    const [entry] = (await test.host.queryEventLog()).entries;
    expect(entry).toMatchObject({ operation: 'Settings', outcome: 'Succeeded' });
    expect(entry?.message).toContain(`orphaned disk '${orphan}' attached`);
  });
});
