import { newDifferencingDiskPath } from './newDifferencingDisk.js';
import { runsUnderQemu } from '../hypervisor/qemuVm.js';
import { Throttle } from '../disk/diskLibrary.js';
import { checkpointLimitExceeded } from '../errors.js';
import {
  MAX_CHECKPOINTS_PER_VM,
  emit,
  persistVm,
  refuseWhileMerging,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import {
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import {
  VM_FORMAT_VERSION,
  type CheckpointFile,
  type CheckpointNode,
} from '../persistence/records.js';
import { openSavedState, type OpenSavedState } from '../persistence/savedState.js';
import {
  createPendingDifferencingDisk,
  settlePendingDisks,
  removeUncommittedFile,
  markPendingDisks,
} from '../persistence/pendingDisks.js';
import { sleep } from '../ports.js';
import { decodeGuestState } from '../guest/guestMemory.js';
import { startMerges } from './diskMerge.js';
import type { Checkpoint, CheckpointId, CreateCheckpointInput } from '../types.js';
import { captureSavedState, emptySavedState, writeVmSavedState } from '../vm/captureSavedState.js';
import { chainOf, currentUptimeMs, emitVmChanged } from '../vm/vmView.js';
import { defaultCheckpointName, validateName } from './checkpointName.js';
import { planCheckpoint, planRecoveryCheckpoint } from './checkpointKind.js';
import { checkFrozenDisks } from '../guest/consistency.js';
import { findNode, refreshSizesOf, toCheckpoint } from './checkpointTree.js';
import { showProgress } from './progress.js';
import { AGENT_FROZE, copyQemuSavedState, takeQemuGuestCheckpoint } from './qemuCheckpoint.js';
import { statusLabel } from '../operations/operationCatalog.js';
import { confinePath } from '../storage/storageRoots.js';

const LABEL = statusLabel('createCheckpoint');

/**
 * Create (behaviour spec §4.9 step 2): Now's disks freeze and become the checkpoint's, Now gets
 * new `.avhdx` children, the configuration is copied and, for a Standard checkpoint of a running
 * VM, the memory is saved. The caller holds the VM.
 *
 * A running guest is held still only while its memory is snapshotted (its state and page map,
 * copy-on-write in effect) and Now moves to the new disks, which the VM's JSON records before
 * the guest resumes; the memory file is then written from the snapshot while the guest runs, and
 * the checker reads the frozen disks. The checkpoint exists once the second commit of the VM's
 * JSON adds it: a host stopped in between comes back without it, the frozen disks unowned with one
 * child each, and merges them back (so Now keeps everything the guest wrote).
 *
 * A VM whose guest QEMU runs or has paused takes it through its QemuGuest (qemuCheckpoint.ts): the
 * guest is held while its disk switches and Now's new disks are recorded before it goes on; a
 * running guest's memory (Standard) is written by QEMU while it runs, up to the instant QEMU stops
 * it for the switch, and the checkpoint commits once that file is durable. A saved QEMU VM's memory is QEMU's
 * saved state, copied.
 */
export async function createCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  input: CreateCheckpointInput = {},
  options: { automatic?: boolean; recovery?: boolean } = {},
): Promise<Checkpoint> {
  refuseWhileMerging(vm);
  let plan = options.recovery === true ? planRecoveryCheckpoint(vm) : planCheckpoint(vm);
  if (vm.file.checkpoints.length >= MAX_CHECKPOINTS_PER_VM) {
    throw checkpointLimitExceeded(vm.file.name, MAX_CHECKPOINTS_PER_VM);
  }
  const now = ctx.clock.now();
  const name =
    input.name === undefined
      ? defaultCheckpointName(vm.file.name, now)
      : validateName('name', input.name, 'checkpoint');
  const id = ctx.ids.newGuid() as CheckpointId;
  const folder = vm.file.snapshotFileLocation;
  // The folder may have become a link that leads out of the data folder since it was chosen.
  await confinePath(ctx, folder, 'snapshotFileLocation');
  const savedPath = checkpointSavedStatePath(folder, id);
  const configPath = checkpointConfigPath(folder, id);
  const created: string[] = [];
  const half = Math.floor(ctx.timing.checkpoint / 2);
  const frozenDisks = vm.file.drives.map((d) => d.path);
  const guest = vm.guest;
  const underQemu = runsUnderQemu(ctx, vm);
  const qemu = underQemu ? (vm.qemu ?? null) : null;
  // Hyper-V pauses the guest briefly while its disks are frozen and switched.
  let held = guest !== null;
  let frozen = false;
  guest?.suspend();
  const release = async (): Promise<void> => {
    if (frozen) {
      frozen = false;
      await guest?.thaw();
    }
    if (held) {
      held = false;
      guest?.unsuspend();
    }
  };
  let source: OpenSavedState | null = null;
  let nowMoved = false;
  // The memory file's share of the Task's progress: its first half.
  let shown = 0;
  const showMemoryWritten = (share: number): void => {
    const percent = Math.floor(share * 49);
    if (percent <= shown) return;
    shown = percent;
    vm.progress = `${LABEL} (${percent}%)`;
    emitVmChanged(ctx, vm);
  };
  // A QEMU guest's memory that is still being written after it resumed.
  let qemuMemoryWritten: Promise<void> | null = null;
  try {
    await guest?.drain();
    await showProgress(ctx, vm, LABEL, 0);
    await ctx.store.mkdirp(folder);
    let note = plan.note;
    if (plan.quiesce && guest !== null) {
      frozen = true;
      const report = await guest.freeze();
      note ??= `${plan.kind === 'Recovery' ? 'quiesced' : 'production'}: ${report}`;
    }

    // 1. The instant: the memory of a running guest (snapshot), of a saved VM (its file), or none.
    const snapshot = plan.memory === 'running' && guest?.booted === true ? guest.capture() : null;
    // A QEMU VM's saved state is QEMU's: copied as it is (below), never read here.
    if (plan.memory === 'saved' && !underQemu)
      source = await openSavedState(ctx.store, vmSavedStatePath(vm.file.id));
    const memory =
      plan.memory === 'running'
        ? captureSavedState(ctx, vm, snapshot)
        : (source ?? emptySavedState(ctx, vm));
    // A QEMU guest's uptime at the instant (a saved one's, as it was saved).
    const qemuUptimeMs =
      vm.state === 'Saved' ? (vm.file.savedState?.uptimeMs ?? 0) : currentUptimeMs(ctx, vm);
    const guestState =
      plan.memory === 'none'
        ? null
        : (snapshot?.state ?? (source === null ? null : await decodeGuestState(source)));

    // 2. Now's new differencing disks, in the folder of their parents.
    const newDisks: string[] = [];
    for (const drive of vm.file.drives) {
      const base = chainOf(vm.file.disks, drive.path).at(-1) ?? drive.path;
      newDisks.push(await newDifferencingDiskPath(ctx, base));
    }
    created.push(...newDisks);
    const disksMade = (async () => {
      for (const [index, child] of newDisks.entries()) {
        // The QEMU guest's own disk (the first drive) is made by the guest as it switches to it.
        if (qemu !== null && index === 0) continue;
        await createPendingDifferencingDisk(ctx, child, frozenDisks[index] ?? '');
      }
    })();
    if (qemu !== null) {
      await disksMade;
      created.push(savedPath);
      let taken;
      try {
        taken = await takeQemuGuestCheckpoint(
          ctx,
          vm,
          qemu,
          plan,
          newDisks[0] ?? '',
          savedPath,
          async () => {
            moveNow(vm, newDisks);
            try {
              await persistVm(ctx, vm);
            } catch (error) {
              moveNowBack(vm, frozenDisks, newDisks);
              throw error;
            }
            nowMoved = true;
          },
          { onProgress: showMemoryWritten, maxBytesPerSecond: ctx.memorySaveBytesPerSecond },
        );
      } catch (error) {
        // The guest writes Now's new disk already: it is the VM's, not this checkpoint's.
        if (nowMoved) {
          created.splice(0, newDisks.length);
          await settlePendingDisks(ctx, newDisks);
        }
        throw error;
      }
      plan = taken.plan;
      qemuMemoryWritten = taken.memoryWritten;
      created.splice(0, newDisks.length);
      await settlePendingDisks(ctx, newDisks);
      note = plan.note ?? (plan.kind === 'Production' ? `production: ${AGENT_FROZE}` : null);
    } else if (guest !== null) {
      // The guest goes on with Now's new disks: they are recorded before it resumes.
      await disksMade;
      moveNow(vm, newDisks);
      nowMoved = true;
      try {
        await persistVm(ctx, vm);
      } catch (error) {
        moveNowBack(vm, frozenDisks, newDisks);
        nowMoved = false;
        throw error;
      }
      created.splice(0, newDisks.length);
      await settlePendingDisks(ctx, newDisks);
      await release();
    }

    // 3. The memory file (while the guest runs; none without memory, as in Hyper-V), and the
    // configuration copy with the checker's verdict on the frozen disks, side by side.
    const writingMemory = async (): Promise<void> => {
      // A QEMU guest's memory is QEMU's to write (QMP migrate): waited for until it is durable.
      if (qemu !== null) return qemuMemoryWritten ?? undefined;
      if (plan.memory === 'none') return;
      // Marked as the host's until the commit: a load after a crash may then delete it.
      await markPendingDisks(ctx, [savedPath]);
      created.push(savedPath);
      if (underQemu) {
        await copyQemuSavedState(ctx, vmSavedStatePath(vm.file.id), savedPath);
        return;
      }
      // While the guest runs on, at no more than the host's memory-save rate (if it sets one).
      const rate = new Throttle(ctx.memorySaveBytesPerSecond, ctx.closing.signal);
      await writeVmSavedState(ctx, savedPath, memory, showMemoryWritten, rate);
    };
    const configuration = structuredClone(vm.file.configuration);
    const vmState = vm.state;
    // The devices a QEMU saved state restores onto: the running guest's, or the Saved VM's record.
    const qemuDevices =
      !underQemu || plan.memory === 'none'
        ? undefined
        : qemu !== null
          ? qemu.guest.deviceRecord()
          : vm.file.savedState?.qemuDevices;
    const writingConfiguration = async (): Promise<CheckpointFile> => {
      const verdict = await checkFrozenDisks(ctx, frozenDisks, guestState);
      const record: CheckpointFile = {
        formatVersion: VM_FORMAT_VERSION,
        id,
        vmId: vm.file.id,
        createdAt: now.toISOString(),
        kind: plan.kind,
        vmState,
        hasSavedState: plan.memory !== 'none',
        isAutomaticCheckpoint: options.automatic ?? false,
        note,
        fallbackReason: plan.fallbackReason,
        consistency: verdict.consistency,
        consistencyDetail: verdict.detail,
        savedUptimeMs: plan.memory === 'none' ? 0 : underQemu ? qemuUptimeMs : memory.meta.uptimeMs,
        ...(qemuDevices === undefined ? {} : { qemuDevices }),
        configuration,
        controllerLocations: vm.file.drives.map((d) => d.controllerLocation),
        virtualSizes: vm.file.drives.map((d) => d.virtualSizeBytes),
      };
      await markPendingDisks(ctx, [configPath]);
      created.push(configPath);
      await ctx.store.writeFileAtomic(
        configPath,
        new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`),
      );
      return record;
    };
    const [, record] = await settledAll([
      writingMemory(),
      writingConfiguration(),
      disksMade,
      sleep(ctx.clock, half),
    ] as const);
    await showProgress(ctx, vm, LABEL, 50, ctx.timing.checkpoint - half);

    // 5. Commit: the checkpoint joins the tree (and Now moves, unless it already has).
    const node: CheckpointNode = {
      id,
      name,
      parentId: vm.file.parentCheckpointId,
      disks: frozenDisks,
    };
    if (!nowMoved) moveNow(vm, newDisks);
    vm.file.checkpoints.push(node);
    vm.file.parentCheckpointId = id;
    vm.checkpointFiles.set(id, record);
    try {
      await persistVm(ctx, vm);
    } catch (error) {
      rollBackInMemory(vm, node);
      if (!nowMoved) moveNowBack(vm, frozenDisks, newDisks);
      throw error;
    }
    created.length = 0;
    await settlePendingDisks(ctx, [...newDisks, savedPath, configPath]);
    await showProgress(ctx, vm, LABEL, 100);
    // Only the files this checkpoint wrote, and the frozen disks (the guest wrote them until now).
    await refreshSizesOf(ctx, vm, [
      ...frozenDisks,
      ...newDisks,
      savedPath,
      configPath,
      vmSavedStatePath(vm.file.id),
    ]);
    vm.progress = null;
    emitVmChanged(ctx, vm);
    emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
    return toCheckpoint(vm, findNode(vm, id));
  } catch (error) {
    // Now already moved to the new disks: the frozen ones, owned by no checkpoint, merge back.
    // Under a QEMU guest that writes Now, they wait for the next load (a merge there is not live).
    if (nowMoved && qemu === null) startMerges(ctx, vm);
    throw error;
  } finally {
    vm.progress = null;
    await source?.close();
    for (const path of created.reverse()) await removeUncommittedFile(ctx, path);
    await release();
  }
}

/** Waits for every task (none is left running on a failure), then throws the first failure. */
async function settledAll<T extends readonly unknown[]>(
  tasks: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

function moveNow(vm: VmRuntime, newDisks: string[]): void {
  vm.file.drives.forEach((drive, index) => {
    const child = newDisks[index];
    if (child === undefined) return;
    vm.file.disks[child] = { parent: drive.path };
    drive.path = child;
  });
}

function moveNowBack(vm: VmRuntime, frozenDisks: string[], newDisks: string[]): void {
  vm.file.drives.forEach((drive, index) => {
    const frozen = frozenDisks[index];
    if (frozen !== undefined) drive.path = frozen;
  });
  for (const disk of newDisks) delete vm.file.disks[disk];
}

function rollBackInMemory(vm: VmRuntime, node: CheckpointNode): void {
  vm.file.checkpoints = vm.file.checkpoints.filter((c) => c.id !== node.id);
  vm.file.parentCheckpointId = node.parentId;
  vm.checkpointFiles.delete(node.id);
}
