import type { HostContext, VmRuntime } from '../host/hostContext.js';
import type { CheckpointId } from '../types.js';
import {
  DEFAULT_SNAPSHOT_FOLDER,
  DISK_FOLDER,
  VM_FOLDER,
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmConfigPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { CheckpointFile, DiskRegistry, VmFile } from '../persistence/records.js';
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

/**
 * What a chain export writes: the VM's record as the export shows it (its drives, checkpoints and
 * disk files, Off or Saved), the checkpoint configurations, and where its saved state is read from.
 */
export interface ChainSource {
  file: VmFile;
  checkpointFiles: Map<CheckpointId, CheckpointFile>;
  savedStatePath: string | null;
}

/** An Off or Saved VM as it is now. */
export function nowChainSource(vm: VmRuntime): ChainSource {
  const saved = vm.state === 'Saved' && vm.file.savedState !== null;
  return {
    file: {
      ...vm.file,
      state: saved ? 'Saved' : 'Off',
      savedState: saved ? vm.file.savedState : null,
    },
    checkpointFiles: vm.checkpointFiles,
    savedStatePath: saved ? vmSavedStatePath(vm.file.id) : null,
  };
}

/**
 * A running VM as the checkpoint `pointId` froze it (the consistent point of a live export): its
 * drives are the checkpoint's frozen disks, its state the checkpoint's (Saved with its memory, or
 * Off), and the checkpoint itself and Now's newer disks are left out.
 */
export function checkpointPointChainSource(vm: VmRuntime, pointId: CheckpointId): ChainSource {
  const node = vm.file.checkpoints.find((n) => n.id === pointId);
  const record = vm.checkpointFiles.get(pointId);
  if (node === undefined || record === undefined) return nowChainSource(vm);
  const checkpoints = vm.file.checkpoints.filter((n) => n.id !== pointId);
  const drives = vm.file.drives.map((drive, i) => ({
    ...drive,
    path: node.disks[i] ?? drive.path,
  }));
  const disks: DiskRegistry = {};
  const keep = (path: string) => {
    for (let at: string | null = path, n = 0; at !== null && n < 10_000; n += 1) {
      const entry: { parent: string | null } | undefined = vm.file.disks[at];
      if (entry === undefined || at in disks) return;
      disks[at] = entry;
      at = entry.parent;
    }
  };
  for (const drive of drives) keep(drive.path);
  for (const other of checkpoints) other.disks.forEach(keep);
  const files = new Map(vm.checkpointFiles);
  files.delete(pointId);
  return {
    file: {
      ...vm.file,
      configuration: record.configuration,
      drives,
      checkpoints,
      parentCheckpointId: node.parentId,
      disks,
      state: record.hasSavedState ? 'Saved' : 'Off',
      savedState: record.hasSavedState ? { uptimeMs: record.savedUptimeMs } : null,
    },
    checkpointFiles: files,
    savedStatePath: record.hasSavedState
      ? checkpointSavedStatePath(vm.file.snapshotFileLocation, pointId)
      : null,
  };
}

/** The VM's record as the export holds it: paths relative to the export folder, nothing host-bound. */
export function exportedChainVmFile(source: ChainSource, rename: Map<string, string>): VmFile {
  const { file } = source;
  const to = (path: string) => rename.get(path) ?? path;
  const disks: DiskRegistry = {};
  for (const [path, entry] of Object.entries(file.disks))
    disks[to(path)] = { parent: entry.parent === null ? null : to(entry.parent) };
  const rest: VmFile = { ...file };
  // The replication partner, backup reference points and the host-stop record stay with the source VM.
  delete rest.replicationPartner;
  delete rest.referencePoints;
  delete rest.runningAtHostStop;
  const saved = source.savedStatePath !== null && file.savedState !== null;
  return {
    ...rest,
    snapshotFileLocation: DEFAULT_SNAPSHOT_FOLDER,
    drives: file.drives.map((drive) => ({ ...drive, path: to(drive.path) })),
    checkpoints: file.checkpoints.map((node) => ({ ...node, disks: node.disks.map(to) })),
    disks,
    state: saved ? 'Saved' : 'Off',
    uptimeMs: 0,
    runningSince: null,
    savedState: saved ? file.savedState : null,
    merge: null,
    lifecycle: 'ready',
  };
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** Writes the chain export into `partial` (created by the caller); progress up to 90 %. */
export async function writeChainExport(
  ctx: HostContext,
  source: ChainSource,
  partial: string,
  progress: TaskProgress,
  stopped: () => Error,
): Promise<void> {
  const { file } = source;
  const rename = exportedDiskPaths(file.disks);
  const order = parentsFirst(file.disks);
  await ctx.store.mkdirp(`${partial}/${DEFAULT_SNAPSHOT_FOLDER}`);
  for (const [i, path] of order.entries()) {
    if (ctx.closed) throw stopped();
    const target = `${partial}/${rename.get(path) ?? path}`;
    await copySparseFile(ctx.store, path, target);
    const parent = file.disks[path]?.parent ?? null;
    if (parent !== null)
      await reparentDisk(ctx.store, target, `${partial}/${rename.get(parent) ?? parent}`);
    progress.advance(Math.floor(((i + 1) / order.length) * 90));
  }
  const folder = file.snapshotFileLocation;
  for (const node of file.checkpoints) {
    if (ctx.closed) throw stopped();
    const record = source.checkpointFiles.get(node.id);
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
  const config = exportedChainVmFile(source, rename);
  if (config.state === 'Saved' && source.savedStatePath !== null)
    await copySparseFile(
      ctx.store,
      source.savedStatePath,
      `${partial}/${vmSavedStatePath(file.id)}`,
    );
  await ctx.store.mkdirp(`${partial}/${VM_FOLDER}`);
  await ctx.store.writeFileAtomic(`${partial}/${vmConfigPath(file.id)}`, encode(config));
}
