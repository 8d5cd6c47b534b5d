import { checkpointLimitExceeded } from '../errors.js';
import {
  MAX_CHECKPOINTS_PER_VM,
  emit,
  persistVm,
  refuseWhileMerging,
  unlinkQuietly,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import {
  checkpointConfigPath,
  checkpointSavedStatePath,
  differencingDiskPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import {
  VM_FORMAT_VERSION,
  type CheckpointFile,
  type CheckpointNode,
} from '../persistence/records.js';
import { readSavedState } from '../persistence/savedState.js';
import type { Checkpoint, CheckpointId, CreateCheckpointInput } from '../types.js';
import { captureSavedState, emptySavedState, writeVmSavedState } from '../vm/captureSavedState.js';
import { chainOf, currentUptimeMs, emitVmChanged } from '../vm/vmView.js';
import { defaultCheckpointName, validateName } from './checkpointName.js';
import { planCheckpoint, planRecoveryCheckpoint } from './checkpointKind.js';
import { checkFrozenDisks } from '../guest/consistency.js';
import { refreshSizesOf, toCheckpoint } from './checkpointTree.js';
import { showProgress } from './progress.js';

const LABEL = 'Creating checkpoint';

/**
 * Create (behaviour spec §4.9 step 2): Now's disks freeze and become the checkpoint's, Now gets
 * new `.avhdx` children, the configuration is copied and, for a Standard checkpoint of a running
 * VM, the memory is saved. New files are written first; rewriting the VM's JSON commits.
 * The caller holds the VM.
 */
export async function createCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  input: CreateCheckpointInput = {},
  options: { automatic?: boolean; recovery?: boolean } = {},
): Promise<Checkpoint> {
  refuseWhileMerging(vm);
  const plan = options.recovery === true ? planRecoveryCheckpoint(vm) : planCheckpoint(vm);
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
  const created: string[] = [];
  const half = Math.floor(ctx.timing.checkpoint / 2);
  // The guest is held still while its disks are frozen and switched (Hyper-V pauses it briefly).
  const guest = vm.guest;
  guest?.suspend();
  let frozen = false;
  try {
    await guest?.drain();
    await showProgress(ctx, vm, LABEL, 0, half);
    await ctx.store.mkdirp(folder);
    let note = plan.note;
    if (plan.quiesce && guest !== null) {
      frozen = true;
      const report = await guest.freeze();
      note ??= `${plan.kind === 'Recovery' ? 'quiesced' : 'production'}: ${report}`;
    }

    // 1. The runtime state: memory for a Standard checkpoint of a running or saved VM.
    const savedPath = checkpointSavedStatePath(folder, id);
    const memory =
      plan.memory === 'running'
        ? captureSavedState(ctx, vm)
        : plan.memory === 'saved'
          ? await readSavedState(ctx.store, vmSavedStatePath(vm.file.id))
          : emptySavedState(ctx, vm);
    // The memory image (already copied) is written while the checker reads the frozen disks.
    created.push(savedPath);
    const writing = writeVmSavedState(ctx, savedPath, memory).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    const verdict = await checkFrozenDisks(
      ctx,
      vm.file.drives.map((d) => d.path),
      plan.memory === 'none' ? null : memory,
    );
    const failed = await writing;
    if (failed !== null) throw failed.error;

    // 2. The configuration copy.
    const record: CheckpointFile = {
      formatVersion: VM_FORMAT_VERSION,
      id,
      vmId: vm.file.id,
      createdAt: now.toISOString(),
      kind: plan.kind,
      vmState: vm.state,
      hasSavedState: plan.memory !== 'none',
      isAutomaticCheckpoint: options.automatic ?? false,
      note,
      consistency: verdict.consistency,
      consistencyDetail: verdict.detail,
      savedUptimeMs:
        plan.memory === 'running'
          ? currentUptimeMs(ctx, vm)
          : plan.memory === 'saved'
            ? memory.meta.uptimeMs
            : 0,
      configuration: structuredClone(vm.file.configuration),
      controllerLocations: vm.file.drives.map((d) => d.controllerLocation),
      virtualSizes: vm.file.drives.map((d) => d.virtualSizeBytes),
    };
    const configPath = checkpointConfigPath(folder, id);
    created.push(configPath);
    await ctx.store.writeFileAtomic(
      configPath,
      new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`),
    );
    await showProgress(ctx, vm, LABEL, 50, ctx.timing.checkpoint - half);

    // 3. New differencing disks for Now, in the folder of their parents.
    const newDisks: string[] = [];
    for (const drive of vm.file.drives) {
      const base = chainOf(vm.file.disks, drive.path).at(-1) ?? drive.path;
      const child = differencingDiskPath(base, ctx.ids.newGuid());
      created.push(child);
      await ctx.disks.createDifferencingDisk(ctx.store, child, drive.path);
      newDisks.push(child);
    }

    // 4. Commit.
    const node: CheckpointNode = {
      id,
      name,
      parentId: vm.file.parentCheckpointId,
      disks: vm.file.drives.map((d) => d.path),
    };
    vm.file.drives.forEach((drive, index) => {
      const child = newDisks[index];
      if (child === undefined) return;
      vm.file.disks[child] = { parent: drive.path };
      drive.path = child;
    });
    vm.file.checkpoints.push(node);
    vm.file.parentCheckpointId = id;
    vm.checkpointFiles.set(id, record);
    try {
      await persistVm(ctx, vm);
    } catch (error) {
      rollBackInMemory(vm, node, newDisks);
      throw error;
    }
    created.length = 0;
    await showProgress(ctx, vm, LABEL, 100);
    // Only the files this checkpoint wrote, and the frozen disks (the guest wrote them until now).
    await refreshSizesOf(ctx, vm, [
      ...node.disks,
      ...newDisks,
      savedPath,
      configPath,
      vmSavedStatePath(vm.file.id),
    ]);
    vm.progress = null;
    emitVmChanged(ctx, vm);
    emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
    return toCheckpoint(vm, node);
  } finally {
    vm.progress = null;
    for (const path of created.reverse()) await unlinkQuietly(ctx, path);
    if (frozen) await guest?.thaw();
    guest?.unsuspend();
  }
}

function rollBackInMemory(vm: VmRuntime, node: CheckpointNode, newDisks: string[]): void {
  vm.file.checkpoints = vm.file.checkpoints.filter((c) => c.id !== node.id);
  vm.file.parentCheckpointId = node.parentId;
  vm.checkpointFiles.delete(node.id);
  vm.file.drives.forEach((drive, index) => {
    const frozen = node.disks[index];
    if (frozen !== undefined) drive.path = frozen;
  });
  for (const disk of newDisks) delete vm.file.disks[disk];
}
