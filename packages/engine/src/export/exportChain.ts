import type { HostContext, VmRuntime } from '../host/hostContext.js';
import {
  DEFAULT_SNAPSHOT_FOLDER,
  DISK_FOLDER,
  VM_FOLDER,
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmConfigPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { DiskRegistry, VmFile } from '../persistence/records.js';
import { copySparseFile, reparentDisk } from '../disk/diskLibrary.js';
import type { TaskProgress } from '../tasks/taskRunner.js';

/**
 * Export-VM in Hyper-V's layout with the chain as it is ("Export and Import virtual machines",
 * learn.microsoft.com/windows-server/virtualization/hyper-v/deploy/export-and-import-virtual-machines:
 * an export holds the VM's configuration, its checkpoints and its virtual hard disks, in the
 * folders `Virtual Machines`, `Snapshots` and `Virtual Hard Disks`):
 *
 * - `Virtual Hard Disks/`: every disk file of the VM (the `.vhdx` and the `.avhdx` of each
 *   checkpoint and of Now) copied as it is, sparse, each child pointed at its exported parent;
 * - `Snapshots/<CheckpointId>.json` and `.vmrs`: each checkpoint's configuration and saved state;
 * - `Virtual Machines/<VMId>.json` (and `.vmrs` when Saved): the VM with its checkpoint tree, every
 *   path relative to the export folder.
 *
 * Import (`src/import/`) reads exactly this; the flattened export (`flatten: true`) remains.
 */

/** Export file names: the disk's own name, made unique in `Virtual Hard Disks`. */
export function exportedDiskPaths(disks: DiskRegistry): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const path of Object.keys(disks)) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const extension = dot > 0 ? name.slice(dot) : '';
    let candidate = name;
    for (let n = 2; used.has(candidate.toLowerCase()); n += 1)
      candidate = `${stem}_${n}${extension}`;
    used.add(candidate.toLowerCase());
    names.set(path, `${DISK_FOLDER}/${candidate}`);
  }
  return names;
}

/** The registry's files, every parent before its children (files outside the registry's chains last). */
export function parentsFirst(disks: DiskRegistry): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const paths = Object.keys(disks);
  // Each pass places the files whose parent is placed; a registry has no cycles, a pass bound stops one anyway.
  for (let pass = 0; pass <= paths.length && placed.size < paths.length; pass += 1) {
    for (const path of paths) {
      if (placed.has(path)) continue;
      const parent = disks[path]?.parent ?? null;
      if (parent === null || placed.has(parent) || !(parent in disks)) {
        order.push(path);
        placed.add(path);
      }
    }
  }
  return order;
}

/** The VM's record as the export holds it: paths relative to the export folder, nothing host-bound. */
export function exportedChainVmFile(vm: VmRuntime, rename: Map<string, string>): VmFile {
  const to = (path: string) => rename.get(path) ?? path;
  const disks: DiskRegistry = {};
  for (const [path, entry] of Object.entries(vm.file.disks))
    disks[to(path)] = { parent: entry.parent === null ? null : to(entry.parent) };
  const rest: VmFile = { ...vm.file };
  // The replication partner, backup reference points and the host-stop record stay with the source VM.
  delete rest.replicationPartner;
  delete rest.referencePoints;
  delete rest.runningAtHostStop;
  const saved = vm.state === 'Saved' && vm.file.savedState !== null;
  return {
    ...rest,
    snapshotFileLocation: DEFAULT_SNAPSHOT_FOLDER,
    drives: vm.file.drives.map((drive) => ({ ...drive, path: to(drive.path) })),
    checkpoints: vm.file.checkpoints.map((node) => ({ ...node, disks: node.disks.map(to) })),
    disks,
    state: saved ? 'Saved' : 'Off',
    uptimeMs: 0,
    runningSince: null,
    savedState: saved ? vm.file.savedState : null,
    merge: null,
    lifecycle: 'ready',
  };
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** Writes the chain export into `partial` (created by the caller); progress up to 95 %. */
export async function writeChainExport(
  ctx: HostContext,
  vm: VmRuntime,
  partial: string,
  progress: TaskProgress,
  stopped: () => Error,
): Promise<void> {
  const rename = exportedDiskPaths(vm.file.disks);
  const order = parentsFirst(vm.file.disks);
  await ctx.store.mkdirp(`${partial}/${DEFAULT_SNAPSHOT_FOLDER}`);
  for (const [i, path] of order.entries()) {
    if (ctx.closed) throw stopped();
    const target = `${partial}/${rename.get(path) ?? path}`;
    await copySparseFile(ctx.store, path, target);
    const parent = vm.file.disks[path]?.parent ?? null;
    if (parent !== null) await reparentDisk(ctx.store, target, `${partial}/${rename.get(parent)}`);
    progress.advance(Math.floor(((i + 1) / order.length) * 90));
  }
  const folder = vm.file.snapshotFileLocation;
  for (const node of vm.file.checkpoints) {
    if (ctx.closed) throw stopped();
    const record = vm.checkpointFiles.get(node.id);
    if (record === undefined) continue;
    await ctx.store.writeFileAtomic(
      `${partial}/${checkpointConfigPath(DEFAULT_SNAPSHOT_FOLDER, node.id)}`,
      encode(record),
    );
    if (record.hasSavedState)
      await copySparseFile(
        ctx.store,
        checkpointSavedStatePath(folder, node.id),
        `${partial}/${checkpointSavedStatePath(DEFAULT_SNAPSHOT_FOLDER, node.id)}`,
      );
  }
  const config = exportedChainVmFile(vm, rename);
  if (config.state === 'Saved')
    await copySparseFile(
      ctx.store,
      vmSavedStatePath(vm.file.id),
      `${partial}/${vmSavedStatePath(vm.file.id)}`,
    );
  await ctx.store.mkdirp(`${partial}/${VM_FOLDER}`);
  await ctx.store.writeFileAtomic(`${partial}/${vmConfigPath(vm.file.id)}`, encode(config));
}
