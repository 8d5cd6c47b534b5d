import { inspectDisk, openDisk, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { CheckpointId, VmId } from '../types.js';
import { EXPORT_JOURNAL } from './exportJournal.js';

const MiB = 1024 * 1024;

async function writeAt(
  store: FileStore,
  path: string,
  offset: number,
  text: string,
): Promise<void> {
  const disk = await openDisk(store, path, { writable: true });
  try {
    await disk.write(new TextEncoder().encode(text), offset);
    await disk.flush();
  } finally {
    await disk.close();
  }
}

/** The whole virtual content of a disk, through its chain. */
async function contentOf(store: FileStore, path: string): Promise<Uint8Array> {
  const disk = await openDisk(store, path);
  try {
    const bytes = new Uint8Array(disk.info.virtualSize);
    for (let offset = 0; offset < bytes.length; offset += 4 * MiB)
      await disk.read(bytes.subarray(offset, Math.min(bytes.length, offset + 4 * MiB)), offset);
    return bytes;
  } finally {
    await disk.close();
  }
}

async function checkpointContent(host: Host, vmId: VmId, checkpointId: CheckpointId) {
  const size = host.getVm(vmId).hardDrives[0]?.virtualSizeBytes ?? 0;
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 4 * MiB)
    bytes.set(await host.readCheckpointDisk(vmId, checkpointId, offset, 4 * MiB), offset);
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('Export', () => {
  it('writes the checkpoint as a VM with one flattened, standalone disk holding its content byte for byte', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host);
    const drive = () => host.getVm(vm.id).hardDrives[0]?.path ?? '';
    await writeAt(store, drive(), 5 * MiB, 'first checkpoint');
    const first = await host.createCheckpoint(vm.id, { name: 'first' });
    await writeAt(store, drive(), 9 * MiB + 100, 'second checkpoint');
    await writeAt(store, drive(), 5 * MiB, 'overwritten');
    const second = await host.createCheckpoint(vm.id, { name: 'second' });
    await writeAt(store, drive(), 9 * MiB + 100, 'after the checkpoints');

    const task = await host.exportCheckpoint(vm.id, second.id, { path: 'Exports' });
    expect(task).toMatchObject({ name: 'Exporting virtual machine', status: 'Running' });
    await host.whenIdle();
    expect(host.getTask(task.id)).toMatchObject({ status: 'Completed', percentComplete: 100 });

    const folder = `Exports/${vm.name}`;
    expect(await store.list(folder)).toEqual(['Virtual Hard Disks', 'Virtual Machines']);
    expect(await store.list(`${folder}/Virtual Machines`)).toEqual([`${vm.id}.json`]);
    const [diskName] = await store.list(`${folder}/Virtual Hard Disks`);
    expect(diskName).toBe(`${vm.name}.vhdx`);
    const exported = `${folder}/Virtual Hard Disks/${diskName ?? ''}`;
    const info = await inspectDisk(store, exported);
    expect(info).toMatchObject({ type: 'Dynamic', parentPath: null });
    expect(info.chain).toHaveLength(1);
    const content = await contentOf(store, exported);
    expect(sameBytes(content, await checkpointContent(host, vm.id, second.id))).toBe(true);
    expect(sameBytes(content, await checkpointContent(host, vm.id, first.id))).toBe(false);
    expect(sameBytes(content, await contentOf(store, drive()))).toBe(false);

    const config = JSON.parse(
      new TextDecoder().decode(await store.readFile(`${folder}/Virtual Machines/${vm.id}.json`)),
    ) as { name: string; checkpoints: unknown[]; drives: { path: string }[]; state: string };
    expect(config).toMatchObject({ name: vm.name, checkpoints: [], state: 'Off' });
    expect(config.drives.map((d) => d.path)).toEqual([`Virtual Hard Disks/${diskName ?? ''}`]);
    expect(await store.exists(EXPORT_JOURNAL)).toBe(false);
    expect(host.getVm(vm.id).status).toBe('Operating normally');
  });

  it('exports the saved state of a checkpoint taken while the VM ran, and a saved VM with its .vmrs', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'running' });
    await host.whenIdle();
    await host.whenIdle();
    const { hasSavedState } = host.getCheckpoint(vm.id, checkpoint.id);
    expect(hasSavedState).toBe(true);
    const task = await host.exportCheckpoint(vm.id, checkpoint.id, { path: 'Exports\\cp' });
    await host.whenIdle();
    expect(host.getTask(task.id).status).toBe('Completed');
    const files = await store.list(`Exports/cp/${vm.name}/Virtual Machines`);
    expect(files).toEqual(hasSavedState ? [`${vm.id}.json`, `${vm.id}.vmrs`] : [`${vm.id}.json`]);
    const config = JSON.parse(
      new TextDecoder().decode(
        await store.readFile(`Exports/cp/${vm.name}/Virtual Machines/${vm.id}.json`),
      ),
    ) as { state: string };
    expect(config.state).toBe(hasSavedState ? 'Saved' : 'Off');

    await host.changeVmState(vm.id, 'save');
    const vmTask = await host.exportVm(vm.id, { path: 'Exports/vm' });
    await host.whenIdle();
    expect(host.getTask(vmTask.id).status).toBe('Completed');
    expect(await store.list(`Exports/vm/${vm.name}/Virtual Machines`)).toEqual([
      `${vm.id}.json`,
      `${vm.id}.vmrs`,
    ]);
  });

  it('refuses absolute paths, paths leaving the data folder and an existing export', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    const checkpoint = await host.createCheckpoint(vm.id);
    for (const path of [
      '/etc',
      'C:\\Exports',
      '../outside',
      'Exports/../../x',
      'Virtual Machines',
    ]) {
      const error = await errorOf(host.exportCheckpoint(vm.id, checkpoint.id, { path }));
      expect(isEngineError(error, 'INVALID_ARGUMENT'), path).toBe(true);
    }
    await host.exportCheckpoint(vm.id, checkpoint.id, { path: 'Exports' });
    await host.whenIdle();
    const again = await errorOf(host.exportCheckpoint(vm.id, checkpoint.id, { path: 'Exports' }));
    expect(isEngineError(again, 'NAME_CONFLICT')).toBe(true);
  });

  it('refuses the flattened export of a running VM (the live export is in Hyper-V layout only)', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    const error = await errorOf(host.exportVm(vm.id, { path: 'Exports', flatten: true }));
    expect(isEngineError(error, 'INVALID_STATE')).toBe(true);
  });

  it('removes the leftovers of an export the host did not finish when it loads again', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    await test.host.exportCheckpoint(vm.id, checkpoint.id, { path: 'Exports' });
    // The host stops while the export runs: the partial folder stays until the next load.
    await test.host.close();
    await test.restart({ close: false });
    expect(await test.store.exists(`Exports/${vm.name}.partial`)).toBe(false);
    expect(await test.store.exists(EXPORT_JOURNAL)).toBe(false);
  });
});
