import { inspectDisk, memoryFileStore, openDisk, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { VmId } from '../types.js';

const MiB = 1024 * 1024;

async function writeAt(store: FileStore, path: string, offset: number, text: string) {
  const disk = await openDisk(store, path, { writable: true });
  try {
    await disk.write(new TextEncoder().encode(text), offset);
    await disk.flush();
  } finally {
    await disk.close();
  }
}

async function readText(store: FileStore, path: string, offset: number, length: number) {
  const disk = await openDisk(store, path);
  try {
    const bytes = new Uint8Array(length);
    await disk.read(bytes, offset);
    return new TextDecoder().decode(bytes);
  } finally {
    await disk.close();
  }
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A VM with two checkpoints, exported in Hyper-V's layout to `Exports/<name>`. */
async function exportedVm(store?: FileStore) {
  const test = await createTestHost(store === undefined ? {} : { store });
  const { host } = test;
  const vm = await buildVm(host);
  const drive = () => host.getVm(vm.id).hardDrives[0]?.path ?? '';
  await writeAt(test.store, drive(), 5 * MiB, 'first');
  const first = await host.createCheckpoint(vm.id, { name: 'first' });
  await writeAt(test.store, drive(), 5 * MiB, 'second');
  const second = await host.createCheckpoint(vm.id, { name: 'second' });
  await writeAt(test.store, drive(), 5 * MiB, 'now!!');
  const task = await host.exportVm(vm.id, { path: 'Exports' });
  await host.whenIdle();
  expect(host.getTask(task.id).status).toBe('Completed');
  return { ...test, vm, first, second, folder: `Exports/${vm.name}` };
}

const contentOf = (host: Host, store: FileStore, vmId: VmId) =>
  readText(store, host.getVm(vmId).hardDrives[0]?.path ?? '', 5 * MiB, 5);

describe('Export-VM in Hyper-V layout', () => {
  it('writes Virtual Machines, Snapshots and Virtual Hard Disks with the chain as it is', async () => {
    const { store, vm, first, second, folder } = await exportedVm();
    expect((await store.list(folder)).sort()).toEqual([
      'Snapshots',
      'Virtual Hard Disks',
      'Virtual Machines',
    ]);
    expect((await store.list(`${folder}/Snapshots`)).sort()).toEqual(
      [`${first.id}.json`, `${second.id}.json`].sort(),
    );
    const disks = await store.list(`${folder}/Virtual Hard Disks`);
    expect(disks.filter((name) => name.endsWith('.avhdx'))).toHaveLength(2);
    const config = JSON.parse(
      new TextDecoder().decode(await store.readFile(`${folder}/Virtual Machines/${vm.id}.json`)),
    ) as { checkpoints: unknown[]; drives: { path: string }[]; snapshotFileLocation: string };
    expect(config.checkpoints).toHaveLength(2);
    expect(config.snapshotFileLocation).toBe('Snapshots');
    // Now's disk is a differencing disk whose chain resolves inside the export.
    const now = `${folder}/${config.drives[0]?.path ?? ''}`;
    const info = await inspectDisk(store, now);
    expect(info.chain).toHaveLength(3);
    for (const disk of info.chain) expect(disk.path.startsWith(`${folder}/`)).toBe(true);
    expect(await readText(store, now, 5 * MiB, 5)).toBe('now!!');
  });

  it('keeps the flattened export as an option', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id);
    await host.exportVm(vm.id, { path: 'Flat', flatten: true });
    await host.whenIdle();
    expect(await store.list(`Flat/${vm.name}`)).toEqual(['Virtual Hard Disks', 'Virtual Machines']);
  });
});

describe('Import-VM', () => {
  it('imports a copy with its name kept, a new ID and new checkpoint IDs, beside its source; checkpoint and apply work on it', async () => {
    const { host, store, vm, folder } = await exportedVm();
    // Hyper-V's Import-VM -Copy keeps the name and gives a new ID; two VMs of one name are allowed
    // (behaviour spec R36), so the source's name is no incompatibility.
    const report = await host.compareVm({ path: folder, mode: 'copy' });
    expect(report.incompatibilities).toEqual([]);
    expect(report.vm.name).toBe(vm.name);
    const copy = await host.importVm({ path: folder, mode: 'copy' });
    expect(copy.id).not.toBe(vm.id);
    expect(copy.name).toBe(vm.name);
    expect(
      host
        .findVmsByName(vm.name)
        .map((v) => v.id)
        .sort(),
    ).toEqual([vm.id, copy.id].sort());
    const tree = host.listCheckpoints(copy.id);
    const sourceIds = host.listCheckpoints(vm.id).checkpoints.map((c) => c.id);
    expect(tree.checkpoints.map((c) => c.name)).toEqual(['first', 'second']);
    for (const c of tree.checkpoints) expect(sourceIds).not.toContain(c.id);
    expect(await contentOf(host, store, copy.id)).toBe('now!!');
    const copiedFirst = tree.checkpoints.find((c) => c.name === 'first');
    if (copiedFirst === undefined) throw new Error('the copy has no checkpoint "first"');
    await host.createCheckpoint(copy.id, { name: 'on the copy' });
    await host.applyCheckpoint(copy.id, copiedFirst.id);
    expect(await contentOf(host, store, copy.id)).toBe('first');
    // The source is untouched.
    expect(await contentOf(host, store, vm.id)).toBe('now!!');
    {
      const r = await host.checkHost();
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it('newName (an extension of this host, not an Import-VM parameter) names the copy otherwise', async () => {
    const { host, vm, folder } = await exportedVm();
    const copy = await host.importVm({ path: folder, mode: 'copy', newName: 'COPY' });
    expect(copy.name).toBe('COPY');
    expect(host.getVm(vm.id).name).toBe(vm.name);
  });

  it('registers in place: the files stay in the export folder; the same ID twice is refused', async () => {
    const { host, store, vm, folder } = await exportedVm();
    await host.deleteVm(vm.id);
    await host.whenIdle();
    const registered = await host.importVm({ path: folder });
    expect(registered.id).toBe(vm.id);
    expect(registered.hardDrives[0]?.path.startsWith(`${folder}/`)).toBe(true);
    expect(await contentOf(host, store, vm.id)).toBe('now!!');
    const report = await host.compareVm({ path: folder, mode: 'restore' });
    expect(report.incompatibilities.map((i) => i.messageId)).toContain(40030);
    const error = await errorOf(host.importVm({ path: folder, mode: 'restore' }));
    expect(String((error as Error).message)).toMatch(
      /^Unable to import virtual machine due to configuration errors\. Please use Compare-VM/,
    );
  });

  it('restores with the same ID into the host folders', async () => {
    const { host, store, vm, folder } = await exportedVm();
    await host.deleteVm(vm.id);
    await host.whenIdle();
    const restored = await host.importVm({
      path: `${folder}/Virtual Machines/${vm.id}.json`,
      mode: 'restore',
      vhdDestinationPath: 'Restored',
      virtualMachinePath: 'Restored VM',
    });
    expect(restored.id).toBe(vm.id);
    // -VirtualMachinePath: the checkpoint files go to its Snapshots folder.
    expect(
      (await store.list('Restored VM/Snapshots')).filter((n) => n.endsWith('.json')),
    ).toHaveLength(2);
    expect(restored.hardDrives[0]?.path.startsWith('Restored/')).toBe(true);
    expect(await contentOf(host, store, vm.id)).toBe('now!!');
    {
      const r = await host.checkHost();
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it('reports a missing parent and a parent whose identifier no longer matches', async () => {
    const { host, store, folder, vm } = await exportedVm();
    const config = JSON.parse(
      new TextDecoder().decode(await store.readFile(`${folder}/Virtual Machines/${vm.id}.json`)),
    ) as { disks: Record<string, { parent: string | null }> };
    const base = Object.entries(config.disks).find(([, e]) => e.parent === null)?.[0] ?? '';
    // The base disk is changed after the export: its DataWriteGuid no longer matches the child's link.
    await writeAt(store, `${folder}/${base}`, 0, 'changed');
    const changed = await host.compareVm({ path: folder, mode: 'copy' });
    expect(changed.incompatibilities.map((i) => i.messageId)).toContain(40012);
    await store.unlink(`${folder}/${base}`);
    const missing = await host.compareVm({ path: folder, mode: 'copy' });
    expect(missing.incompatibilities.map((i) => i.messageId)).toContain(40010);
    expect(missing.incompatibilities[0]?.message).toMatch(/\(Virtual machine ID [0-9A-F-]+\)$/);
    const error = await errorOf(host.importVm({ path: folder, mode: 'copy', newName: 'X' }));
    expect(isEngineError(error, 'INVALID_STATE')).toBe(true);
    expect(host.listVms()).toHaveLength(1);
  });

  it('refuses a hostile export: paths outside, ../ in the configuration, a huge file, a loop', async () => {
    const { host, store, folder, vm } = await exportedVm();
    for (const path of ['/etc', '../x', 'Virtual Machines']) {
      const error = await errorOf(host.compareVm({ path }));
      expect(isEngineError(error, 'INVALID_ARGUMENT'), path).toBe(true);
    }
    const configPath = `${folder}/Virtual Machines/${vm.id}.json`;
    const original = new TextDecoder().decode(await store.readFile(configPath));
    const config = JSON.parse(original) as {
      drives: { path: string }[];
      disks: Record<string, { parent: string | null }>;
    };
    const escape = { ...config, drives: [{ ...config.drives[0], path: '../../etc/passwd' }] };
    await store.writeFileAtomic(configPath, new TextEncoder().encode(JSON.stringify(escape)));
    expect(isEngineError(await errorOf(host.compareVm({ path: folder })), 'INVALID_ARGUMENT')).toBe(
      true,
    );
    const loop = Object.fromEntries(
      Object.keys(config.disks).map((path, i, all) => [
        path,
        { parent: all[(i + 1) % all.length] },
      ]),
    );
    await store.writeFileAtomic(
      configPath,
      new TextEncoder().encode(JSON.stringify({ ...config, disks: loop })),
    );
    const report = await host.compareVm({ path: folder, mode: 'copy' });
    expect(report.incompatibilities.map((i) => i.messageId)).toContain(40013);
    await store.writeFileAtomic(configPath, new Uint8Array(2 * MiB).fill(32));
    expect(isEngineError(await errorOf(host.compareVm({ path: folder })), 'INVALID_ARGUMENT')).toBe(
      true,
    );
  });

  it('after a kill in the middle of a copy, the next load leaves no VM and no copied file', async () => {
    const inner = memoryFileStore();
    let hang = false;
    const store: FileStore = {
      ...inner,
      open: (path, mode) =>
        hang && mode === 'wx' && path.endsWith('.avhdx')
          ? new Promise(() => undefined)
          : inner.open(path, mode),
    };
    const test = await exportedVm(store);
    const before = (await inner.list('Virtual Hard Disks')).sort();
    hang = true;
    void test.host.importVm({ path: test.folder, mode: 'copy', newName: 'COPY' });
    // Let the import reach the hanging copy (the base disk is copied first).
    for (
      let i = 0;
      i < 200 && (await inner.list('Virtual Hard Disks')).length === before.length;
      i++
    )
      await new Promise((resolve) => setImmediate(resolve));
    expect((await inner.list('Virtual Hard Disks')).length).toBeGreaterThan(before.length);
    hang = false;
    const host = await test.restart({ close: false });
    expect(host.listVms().map((v) => v.name)).toEqual([test.vm.name]);
    expect((await inner.list('Virtual Hard Disks')).sort()).toEqual(before);
    {
      const r = await host.checkHost();
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });
});
