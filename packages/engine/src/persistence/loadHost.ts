import type { FileStore } from '@hvm/vhdx';
import { MERGE_SIDECAR_SUFFIX, finishMerges, pendingChildDeletions } from '../disk/diskLibrary.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { persistVm, unlinkQuietly } from '../host/hostContext.js';
import { filesOfVm, markDeleting } from '../vm/deleteVm.js';
import { newRuntime } from '../vm/createVm.js';
import { fallbackReasonOfNote } from '../checkpoint/checkpointKind.js';
import {
  DEFAULT_SNAPSHOT_FOLDER,
  DISK_FOLDER,
  VM_FOLDER,
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmConfigPath,
  vmSavedStatePath,
  isWriteLeftover,
} from './layout.js';
import type { CheckpointFile, VmFile } from './records.js';
import { removeAbandonedFiles } from './pendingDisks.js';
import { isOwnSavedState } from './orphanedFiles.js';

async function readJson<T>(store: FileStore, path: string): Promise<T | null> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.readFile(path))) as T;
  } catch {
    return null;
  }
}

/**
 * Loads every VM and finishes or rolls back what an interrupted run left:
 * - a VM marked "provisioning" is removed with its files; one marked "deleting" loses its
 *   checkpoints and waits in `deletingVms` for the host to finish its deletion (its disks stay);
 * - a VM that was Running or Paused when the host was killed comes back Off (its memory is lost);
 *   Saved without a saved-state file comes back Off;
 * - an `.avhdx` the host marked as its own (see `pendingDisks.ts`) that no VM's JSON references
 *   (made by an operation that never committed) is deleted; any other `.avhdx` is never deleted
 *   here, only reported by Check Host as orphaned (issue 17: a copied-in Hyper-V child was lost);
 * - checkpoint `.json`/`.vmrs` files no VM's JSON references are deleted only when the host marked
 *   them as its own (written by a checkpoint that never committed, or dropped by a Delete
 *   Checkpoint / Delete VM that committed); any other is kept and reported by Check Host as an
 *   orphaned file (issue 17); a `.vmrs` in the VM folder is deleted only when it is named after a
 *   VM the host loaded and that VM is not Saved (its own saved state, left by an interrupted Start);
 * - temporary files of interrupted atomic writes are deleted.
 * Interrupted merges are resumed by the host after loading (see `startMerges`).
 */
export async function loadVms(ctx: HostContext): Promise<void> {
  const { store } = ctx;
  const referenced = new Set<string>();
  const snapshotFolders = new Set<string>([DEFAULT_SNAPSHOT_FOLDER]);
  let unreadable = 0;

  for (const entry of (await store.list(VM_FOLDER)).sort()) {
    if (!entry.endsWith('.json')) continue;
    const file = await readJson<VmFile>(store, `${VM_FOLDER}/${entry}`);
    if (file === null || typeof file.id !== 'string' || !Array.isArray(file.checkpoints)) {
      unreadable += 1;
      continue;
    }
    snapshotFolders.add(file.snapshotFileLocation);
    if (file.lifecycle === 'provisioning') {
      for (const path of filesOfVm(file)) await unlinkQuietly(ctx, path);
      await unlinkQuietly(ctx, vmConfigPath(file.id));
      continue;
    }
    const vm = newRuntime(file);
    vm.committed = `${JSON.stringify(file, null, 2)}\n`;
    if (file.lifecycle === 'deleting') {
      // A deletion goes forward: the host finishes it (see finishDeletion); its disks are kept.
      if (file.checkpoints.length > 0 || file.state !== 'Off') {
        markDeleting(file);
        await persistVm(ctx, vm);
      }
      for (const path of referencedFiles(vm)) referenced.add(path);
      ctx.deletingVms.set(file.id, vm);
      continue;
    }
    await loadCheckpointFiles(store, vm);
    let dirty = false;
    if (file.state === 'Running' || file.state === 'Paused') {
      file.state = 'Off';
      file.uptimeMs = 0;
      file.runningSince = null;
      dirty = true;
    }
    if (
      file.state === 'Saved' &&
      (file.savedState === null || !(await store.exists(vmSavedStatePath(file.id))))
    ) {
      file.state = 'Off';
      file.savedState = null;
      dirty = true;
    }
    vm.state = file.state;
    if (dirty) await persistVm(ctx, vm);
    for (const path of referencedFiles(vm)) referenced.add(path);
    ctx.vms.set(file.id, vm);
  }

  await finishStrayMerges(ctx, [DISK_FOLDER, ...snapshotFolders, ...[...referenced].map(folderOf)]);

  // A configuration that cannot be read may own files: then nothing is deleted as unreferenced.
  if (unreadable === 0) {
    const diskFolders = new Set([DISK_FOLDER, ...[...referenced].map(folderOf)]);
    for (const folder of new Set([...diskFolders, ...snapshotFolders, VM_FOLDER]))
      await removeAbandonedFiles(ctx, folder, referenced);
    await removeUnreferenced(ctx, referenced, snapshotFolders);
  }
}

async function loadCheckpointFiles(store: FileStore, vm: VmRuntime): Promise<void> {
  for (const node of vm.file.checkpoints) {
    const record = await readJson<CheckpointFile>(
      store,
      checkpointConfigPath(vm.file.snapshotFileLocation, node.id),
    );
    if (record === null) continue;
    // Written before the reason was recorded: derived once from the note this engine wrote.
    record.fallbackReason ??= fallbackReasonOfNote(record.note);
    vm.checkpointFiles.set(node.id, record);
  }
}

function referencedFiles(vm: VmRuntime): string[] {
  const { file } = vm;
  const paths = [
    ...Object.keys(file.disks),
    ...file.drives.map((d) => d.path),
    vmConfigPath(file.id),
  ];
  if (file.state === 'Saved') paths.push(vmSavedStatePath(file.id));
  for (const node of file.checkpoints) {
    paths.push(...node.disks);
    paths.push(checkpointConfigPath(file.snapshotFileLocation, node.id));
    paths.push(checkpointSavedStatePath(file.snapshotFileLocation, node.id));
  }
  if (file.merge !== null) paths.push(file.merge.child, file.merge.parent);
  return paths;
}

async function removeUnreferenced(
  ctx: HostContext,
  referenced: Set<string>,
  snapshotFolders: Set<string>,
): Promise<void> {
  for (const name of await ctx.store.list(DISK_FOLDER)) {
    const path = `${DISK_FOLDER}/${name}`;
    if (isWriteLeftover(name)) await unlinkQuietly(ctx, path);
  }
  for (const name of await ctx.store.list(VM_FOLDER)) {
    const path = `${VM_FOLDER}/${name}`;
    if (isWriteLeftover(name) || (isOwnSavedState(ctx, name) && !referenced.has(path)))
      await unlinkQuietly(ctx, path);
  }
  for (const folder of snapshotFolders) {
    for (const name of await ctx.store.list(folder))
      if (isWriteLeftover(name)) await unlinkQuietly(ctx, `${folder}/${name}`);
  }
}

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/**
 * A merge sidecar whose child is gone (the host stopped after the merge unlinked the child but
 * before it removed the sidecar), or whose merge is complete with the child's deletion still to
 * run, is finished by `@hvm/vhdx` (children re-pointed, child deleted, sidecar removed).
 * Sidecars of merges still in progress are left to the host's own merge resumption.
 */
async function finishStrayMerges(ctx: HostContext, folders: Iterable<string>): Promise<void> {
  let changed = false;
  for (const folder of new Set(folders)) {
    const sidecars = (await ctx.store.list(folder)).filter(
      (name) => name.endsWith(MERGE_SIDECAR_SUFFIX) && name !== MERGE_SIDECAR_SUFFIX,
    );
    if (sidecars.length === 0) continue;
    const prefix = folder === '' ? '' : `${folder}/`;
    // A complete merge whose child's deletion had not run is finished too: the record names the
    // child, which nothing refers to any more.
    const stray = await pendingChildDeletions(ctx.store, folder).catch((): string[] => []);
    for (const name of sidecars) {
      const child = prefix + name.slice(0, -MERGE_SIDECAR_SUFFIX.length);
      if (!stray.includes(child) && !(await ctx.store.exists(child))) stray.push(child);
    }
    if (stray.length === 0) continue;
    changed = true;
    try {
      await finishMerges(ctx.store, folder, stray.length === sidecars.length ? 'all' : stray);
    } catch {
      // Left for the next load; the disks stay as the merge left them.
    }
  }
  if (changed) await ctx.disks.forget?.(ctx.store);
}
