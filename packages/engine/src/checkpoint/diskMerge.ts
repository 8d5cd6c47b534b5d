import {
  emit,
  nowIso,
  persistVm,
  reportError,
  unlinkQuietly,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import type { Task, TaskId } from '../types.js';
import { emitVmChanged } from '../vm/vmView.js';
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
  await persistVm(ctx, vm);
  for (const disk of removed) await unlinkQuietly(ctx, disk);
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

function updateTask(ctx: HostContext, task: Task, patch: Partial<Task>): void {
  Object.assign(task, patch);
  emit(ctx, { type: 'task-changed', task: { ...task } });
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
  const task: Task = {
    id: ctx.ids.newGuid() as TaskId,
    vmId: vm.file.id,
    name: 'Merging disks',
    status: 'Running',
    percentComplete: 0,
    startedAt: nowIso(ctx),
    finishedAt: null,
    error: null,
  };
  ctx.tasks.set(task.id, task);
  vm.mergeTask = task;
  emit(ctx, { type: 'task-changed', task: { ...task } });
  emitVmChanged(ctx, vm);

  const abort = new AbortController();
  vm.mergeAbort = abort;
  const work = (async () => {
    let done = 0;
    try {
      for (let step = nextMerge(vm); step !== null && !abort.signal.aborted; step = nextMerge(vm)) {
        const { child, parent } = step;
        if (vm.file.merge === null) {
          vm.file.merge = { child, parent };
          await persistVm(ctx, vm);
        }
        // The guest's writes stall while disks merge; those already issued land first.
        await vm.guest?.drain();
        if (await ctx.store.exists(child)) {
          const base = done;
          await ctx.disks.mergeDisk(ctx.store, child, {
            signal: abort.signal,
            bytesPerSecond: ctx.mergeBytesPerSecond,
            children: childDisksOf(vm, child),
            onProgress: (percent) => {
              const overall = Math.floor(
                ((base + percent / 100) / (base + 1 + countPending(vm))) * 100,
              );
              if (overall > task.percentComplete && overall < 100) {
                updateTask(ctx, task, { percentComplete: overall });
                emitVmChanged(ctx, vm);
              }
            },
          });
        }
        finishMerge(vm, child, parent);
        await persistVm(ctx, vm);
        done += 1;
        await removeOrphanDisks(ctx, vm);
        // A deleted VM's merges (see deleteVm) announce no tree: it has none any more.
        if (ctx.vms.has(vm.file.id)) emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
      }
      await refreshSizes(ctx, vm);
      if (abort.signal.aborted && nextMerge(vm) !== null) throw new Error('stopped');
      updateTask(ctx, task, { status: 'Completed', percentComplete: 100, finishedAt: nowIso(ctx) });
    } catch (error) {
      if (abort.signal.aborted) {
        // The host is closing: the merge stays recorded in the VM's JSON and resumes on the next load.
        updateTask(ctx, task, {
          status: 'Failed',
          finishedAt: nowIso(ctx),
          error: {
            code: 'CANCELLED',
            message: 'The host stopped; the merge resumes when the host starts again.',
          },
        });
        return;
      }
      const code =
        typeof error === 'object' && error !== null && 'code' in error
          ? String(error.code)
          : 'MERGE_FAILED';
      const message = reportError(ctx, `The disk merge of '${vm.file.name}'`, error);
      updateTask(ctx, task, {
        status: 'Failed',
        finishedAt: nowIso(ctx),
        error: { code, message },
      });
    } finally {
      vm.mergeTask = null;
      vm.mergeDone = null;
      vm.mergeAbort = null;
      emitVmChanged(ctx, vm);
    }
  })();
  vm.mergeDone = work;
  ctx.inFlight.add(work);
  void work.finally(() => ctx.inFlight.delete(work));
  return task;
}

/** Merges still due after the current one: unowned disks with a single child. */
function countPending(vm: VmRuntime): number {
  const owned = ownedDisks(vm);
  return Object.keys(vm.file.disks).filter(
    (disk) => !owned.has(disk) && childDisksOf(vm, disk).length === 1,
  ).length;
}
