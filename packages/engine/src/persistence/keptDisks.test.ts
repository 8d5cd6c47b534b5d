import { memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { pendingDiskMarkerPath } from './pendingDisks.js';

// Issue 17, "Disks nobody listed are never destroyed": loading deletes only what it can prove it
// created and abandoned; any other `.avhdx` no VM lists is kept and reported by Check Host as an
// orphaned differencing disk (Hyper-V's own term for such files; behaviour spec R26 keeps disks).
describe('disks no VM lists are kept on load', () => {
  it('a copied-in differencing disk survives a reload and Check Host reports it as orphaned', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'COPY' });
    const parent = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const copied = 'Virtual Hard Disks/COPY_0A1B2C3D-1111-4222-8333-444455556666.avhdx';
    const { createDifferencingDisk } = await import('@hvm/vhdx');
    await createDifferencingDisk(test.store, copied, parent);

    const again = await test.restart({ close: false });
    expect(await test.store.exists(copied)).toBe(true);
    const report = await again.checkHost();
    expect(report.ok).toBe(false);
    expect(report.orphanedDisks).toEqual([
      expect.objectContaining({ path: copied, parentPath: parent }),
    ]);
  });

  it('a differencing disk the host created for a checkpoint it never committed is removed on load', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'CUT' });
    const parent = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const abandoned = 'Virtual Hard Disks/CUT_99999999-1111-4222-8333-444455556666.avhdx';
    // What createCheckpoint leaves when killed after making Now's new disk, before its commit.
    await test.store.writeFileAtomic(pendingDiskMarkerPath(abandoned), new Uint8Array(0));
    const { createDifferencingDisk } = await import('@hvm/vhdx');
    await createDifferencingDisk(test.store, abandoned, parent);

    const again = await test.restart({ close: false });
    expect((await test.store.list('Virtual Hard Disks')).sort()).toEqual(['CUT.vhdx']);
    expect(await again.checkHost()).toMatchObject({ ok: true, orphanedDisks: [] });
  });

  it('a checkpoint leaves no marker once committed, and its disks survive a reload', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'DONE' });
    await test.host.createCheckpoint(vm.id, { name: 'A' });
    const cp = await test.host.createCheckpoint(vm.id, { name: 'B' });
    await test.host.applyCheckpoint(vm.id, cp.id);
    const disks = (await test.store.list('Virtual Hard Disks')).sort();
    expect(disks.filter((name) => !/\.a?vhdx$/i.test(name))).toEqual([]);
    const again = await test.restart({ close: false });
    expect((await test.store.list('Virtual Hard Disks')).sort()).toEqual(disks);
    expect(await again.checkHost()).toMatchObject({ ok: true });
  });

  it('a checkpoint that fails takes back its disk and marker; one it cannot remove goes on the next load', async () => {
    const inner = memoryFileStore();
    let failConfigs = false;
    let failUnlinks = false;
    const store: FileStore = {
      ...inner,
      writeFileAtomic: async (path, data) => {
        if (failConfigs && path.startsWith('Snapshots/')) throw new Error('no space left');
        await inner.writeFileAtomic(path, data);
      },
      unlink: async (path) => {
        if (failUnlinks && path.endsWith('.avhdx')) throw new Error('read-only folder');
        await inner.unlink(path);
      },
    };
    const test = await createTestHost({ store });
    const vm = await buildVm(test.host, { name: 'FAIL' });
    const before = (await inner.list('Virtual Hard Disks')).sort();
    failConfigs = true;
    await expect(test.host.createCheckpoint(vm.id)).rejects.toThrow();
    expect((await inner.list('Virtual Hard Disks')).sort()).toEqual(before);

    failUnlinks = true;
    await expect(test.host.createCheckpoint(vm.id)).rejects.toThrow();
    const left = (await inner.list('Virtual Hard Disks')).filter((n) => n !== 'FAIL.vhdx');
    expect(left.map((n) => n.replace(/_[0-9A-F-]{36}/, '_<guid>')).sort()).toEqual([
      'FAIL_<guid>.avhdx',
      'FAIL_<guid>.avhdx.pending',
    ]);
    failConfigs = false;
    failUnlinks = false;
    const again = await test.restart({ close: false });
    expect((await inner.list('Virtual Hard Disks')).sort()).toEqual(before);
    expect(await again.checkHost()).toMatchObject({ ok: true });
  });

  it('a disk Apply dropped from the VM but could not delete (the host stopped) is deleted on the next load', async () => {
    const inner = memoryFileStore();
    let failUnlinks = false;
    const store: FileStore = {
      ...inner,
      unlink: async (path) => {
        if (failUnlinks && path.endsWith('.avhdx')) throw new Error('host stopped');
        await inner.unlink(path);
      },
    };
    const test = await createTestHost({ store });
    const vm = await buildVm(test.host, { name: 'DROP' });
    const a = await test.host.createCheckpoint(vm.id, { name: 'A' });
    const oldNow = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    failUnlinks = true;
    await test.host.applyCheckpoint(vm.id, a.id);
    expect(await inner.exists(oldNow)).toBe(true);
    failUnlinks = false;
    const again = await test.restart({ close: false });
    expect(await inner.exists(oldNow)).toBe(false);
    expect(await inner.list('Virtual Hard Disks')).not.toContain(
      expect.stringMatching(/\.pending$/),
    );
    expect(await again.checkHost()).toMatchObject({ ok: true, orphanedDisks: [] });
  });
});
