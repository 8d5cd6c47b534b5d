import type { LiveDiskWrites } from '../disk/diskLibrary.js';
import { EngineError, ErrorCode } from '../errors.js';
import { serveQemuGuestDisk } from '../hypervisor/qemuVm.js';
import { emit, persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { markPendingDisks, removeUncommittedFile } from '../persistence/pendingDisks.js';
import { reportError } from '../storage/failureReport.js';
import { runTask, type TaskProgress } from '../tasks/taskRunner.js';
import type { Task } from '../types.js';
import { refreshSizes } from './checkpointTree.js';

/**
 * What happens to disks nobody writes to and no checkpoint freezes any more (behaviour spec
 * §4.9 step 4): without children they are deleted; with one child the child is merged into them
 * and whoever used the child uses them; with several children they stay.
 */
function ownedDisks(vm: VmRuntime): Set<string> {
  const owned = new Set<string>(vm.file.drives.map((d) => d.path));
  for (const node of vm.file.checkpoints) for (const disk of node.disks) owned.add(disk);
  if (vm.file.merge !== null) {
    owned.add(vm.file.merge.child);
    owned.add(vm.file.merge.parent);
  }
  return owned;
}

export function childDisksOf(vm: VmRuntime, path: string): string[] {
  return Object.entries(vm.file.disks)
    .filter(([, entry]) => entry.parent === path)
    .map(([disk]) => disk);
}

/** Forgets unowned differencing disks without children (commits, then unlinks). */
export async function removeOrphanDisks(ctx: HostContext, vm: VmRuntime): Promise<void> {
  const removed: string[] = [];
  let found = true;
  while (found) {
    found = false;
    const owned = ownedDisks(vm);
    for (const disk of Object.keys(vm.file.disks)) {
      if (owned.has(disk) || !disk.endsWith('.avhdx') || childDisksOf(vm, disk).length > 0)
        continue;
      delete vm.file.disks[disk];
      removed.push(disk);
      found = true;
    }
  }
  if (removed.length === 0) return;
  // Marked first: once the registry no longer lists them, only the marker proves they are ours.
  await markPendingDisks(ctx, removed);
  await persistVm(ctx, vm);
  for (const disk of removed) await removeUncommittedFile(ctx, disk);
}

/**
 * The next merge to run: a child disk folded into an unowned parent with just that child.
 * Children without children of their own go first, so that merges rarely need re-pointing.
 */
export function nextMerge(vm: VmRuntime): { child: string; parent: string } | null {
  if (vm.file.merge !== null) return vm.file.merge;
  const owned = ownedDisks(vm);
  let fallback: { child: string; parent: string } | null = null;
  for (const disk of Object.keys(vm.file.disks)) {
    if (owned.has(disk)) continue;
    const children = childDisksOf(vm, disk);
    const only = children[0];
    if (children.length !== 1 || only === undefined) continue;
    if (childDisksOf(vm, only).length === 0) return { child: only, parent: disk };
    fallback ??= { child: only, parent: disk };
  }
  return fallback;
}

/** After a merge the child's users (Now's drives, checkpoints, grandchildren) point at the parent. */
export function finishMerge(vm: VmRuntime, child: string, parent: string): void {
  for (const drive of vm.file.drives) if (drive.path === child) drive.path = parent;
  for (const node of vm.file.checkpoints)
    node.disks = node.disks.map((d) => (d === child ? parent : d));
  for (const entry of Object.values(vm.file.disks))
    if (entry.parent === child) entry.parent = parent;
  delete vm.file.disks[child];
  vm.file.merge = null;
}

/** A merge cut short by the host closing: it stays recorded and resumes on the next load. */
function mergeStopped(vm: VmRuntime): EngineError {
  return new EngineError(
    ErrorCode.Cancelled,
    'The host stopped; the merge resumes when the host starts again.',
    { vmName: vm.file.name },
  );
}

/**
 * Starts the VM's merge worker when merges are due (or joins the running one). Returns its task,
 * or null when there is nothing to merge. Each merge is recorded in the VM's JSON before it
 * starts, so an interrupted merge is resumed on the next load.
 */
export function startMerges(ctx: HostContext, vm: VmRuntime): Task | null {
  if (vm.mergeTask !== null) return vm.mergeTask;
  // Without a merging disk library the disks stay as they are (as with several children).
  if (nextMerge(vm) === null) return null;
  const abort = new AbortController();
  vm.mergeAbort = abort;
  const { task, done } = runTask(ctx, {
    kind: 'merge',
    vm,
    show: (running) => {
      vm.mergeTask = running;
    },
    work: async (progress) => {
      try {
        await mergeAll(ctx, vm, abort.signal, progress);
      } catch (error) {
        if (abort.signal.aborted) throw mergeStopped(vm);
        throw error;
      }
      if (abort.signal.aborted && nextMerge(vm) !== null) throw mergeStopped(vm);
    },
    describeFailure: (error) => reportError(ctx, `The disk merge of '${vm.file.name}'`, error),
    ended: () => {
      vm.mergeTask = null;
      vm.mergeDone = null;
      vm.mergeAbort = null;
    },
  });
  vm.mergeDone = done;
  return task;
}

/** Folds every due merge, one after the other, until none is left or the host closes. */
async function mergeAll(
  ctx: HostContext,
  vm: VmRuntime,
  signal: AbortSignal,
  progress: TaskProgress,
): Promise<void> {
  let done = 0;
  for (let step = nextMerge(vm); step !== null && !signal.aborted; step = nextMerge(vm)) {
    const { child, parent } = step;
    if (vm.file.merge === null) {
      vm.file.merge = { child, parent };
      await persistVm(ctx, vm);
    }
    // A live merge (behaviour spec §4.6, "Merges run live while the VM runs", S29 p416): the
    // guest works on, and its writes from now on go through `live`, which keeps them out of the
    // merge's steps and, when its disk is the one merged, lands them by @hvm/vhdx
    // LiveMergeWrites' rule. Writes already issued land first. Without a live-merge port the
    // guest's writes stall instead. A QEMU guest's disk is served through it from now on: its
    // NBD requests read and write by the same rule.
    const live = openLiveMerge(ctx, vm);
    await vm.guest?.drain();
    await serveQemuGuestDisk(vm);
    // The merge is complete, for the user and for a crash, once the parent holds the child's
    // data durably and nothing refers to the child: the tree is announced then, and the file is
    // deleted after it (freeing 1 GiB takes ext4 0.3 to 0.7 s). Hyper-V removes the .avhdx once
    // merged (behaviour spec §4.9 step 4, S1); the exact instant is not documented. Its merge
    // record names the child until it is gone, so a host stopped before deletes it on load.
    const deleteChild = ctx.disks.deleteMergedChild?.bind(ctx.disks);
    if (await ctx.store.exists(child)) {
      const base = done;
      await ctx.disks.mergeDisk(ctx.store, child, {
        deferChildDeletion: deleteChild !== undefined,
        signal,
        bytesPerSecond: ctx.mergeBytesPerSecond,
        ...(live === null ? {} : { live }),
        children: childDisksOf(vm, child),
        onProgress: (percent) => {
          progress.advance(
            Math.floor(((base + percent / 100) / (base + 1 + countPending(vm))) * 100),
          );
        },
      });
    }
    finishMerge(vm, child, parent);
    await persistVm(ctx, vm);
    vm.liveMerge = null;
    // The QEMU guest goes on in its disk as it is now (the parent, when its own disk was merged).
    await serveQemuGuestDisk(vm);
    done += 1;
    await removeOrphanDisks(ctx, vm);
    // A deleted VM's merges (see deleteVm) announce no tree: it has none any more.
    if (ctx.vms.has(vm.file.id)) emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
    await deleteChild?.(ctx.store, child);
  }
  await refreshSizes(ctx, vm);
}

/**
 * The guest's writes during the next merge: the channel already open for its disk (a merge
 * that failed and runs again), or a new one; null without a guest disk or a live-merge port.
 */
function openLiveMerge(ctx: HostContext, vm: VmRuntime): LiveDiskWrites | null {
  const drive = vm.file.drives[0]?.path;
  if (drive === undefined || ctx.disks.openLiveMerge === undefined) return null;
  if (vm.liveMerge?.path !== drive) vm.liveMerge = ctx.disks.openLiveMerge(ctx.store, drive);
  return vm.liveMerge;
}

/** Merges still due after the current one: unowned disks with a single child. */
function countPending(vm: VmRuntime): number {
  const owned = ownedDisks(vm);
  return Object.keys(vm.file.disks).filter(
    (disk) => !owned.has(disk) && childDisksOf(vm, disk).length === 1,
  ).length;
}
