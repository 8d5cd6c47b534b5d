import { newDifferencingDiskPath } from './newDifferencingDisk.js';
import { runsUnderQemu } from '../hypervisor/qemuVm.js';
import { EngineError, ErrorCode, invalidState } from '../errors.js';
import { stopGuest } from '../vm/vmStateMachine.js';
import {
  emit,
  persistVm,
  refuseWhileMerging,
  unlinkQuietly,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import { checkpointSavedStatePath, vmSavedStatePath } from '../persistence/layout.js';
import { copySavedState } from '../persistence/savedState.js';
import {
  createPendingDifferencingDisk,
  settlePendingDisks,
  removeUncommittedFile,
} from '../persistence/pendingDisks.js';
import type { ApplyCheckpointInput, CheckpointId, VmSummary } from '../types.js';
import { chainOf, emitVmChanged, toVmSummary } from '../vm/vmView.js';
import { findNode, refreshSizes } from './checkpointTree.js';
import { createCheckpoint } from './createCheckpoint.js';
import { removeOrphanDisks } from './diskMerge.js';
import { showProgress } from './progress.js';
import { copyQemuSavedState } from './qemuCheckpoint.js';
import { statusLabel } from '../operations/operationCatalog.js';
import { isTransitional } from '../vm/vmStates.js';
import { checkpointKindCanBeApplied } from '@hvm/contracts';
import { newVmGenerationId } from '../guest/vmGenerationId.js';

const LABEL = statusLabel('applyCheckpoint');

/**
 * Apply X (behaviour spec §4.9 step 3, §1.6): Now's differencing disks are discarded, Now gets new
 * children of X's frozen disks, X's configuration comes back (the VM keeps its name) and the VM
 * ends Saved when X holds memory, else Off. A running VM is turned off first (a QEMU guest's QEMU
 * stops). The caller holds the VM.
 */
export async function applyCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  checkpointId: CheckpointId,
  input: ApplyCheckpointInput = {},
): Promise<VmSummary> {
  refuseWhileMerging(vm);
  const target = findNode(vm, checkpointId);
  const state = vm.state;
  if (isTransitional(state)) {
    throw invalidState(vm.file.name, state, 'apply checkpoint');
  }
  const record = vm.checkpointFiles.get(target.id);
  if (record !== undefined && !checkpointKindCanBeApplied(record.kind)) {
    throw new EngineError(
      ErrorCode.InvalidState,
      `The checkpoint '${target.name}' of '${vm.file.name}' is a recovery checkpoint made by backup software and cannot be applied.`,
      { vmName: vm.file.name, checkpoint: target.name, kind: record.kind },
    );
  }
  if (input.takeCheckpointFirst === true) await createCheckpoint(ctx, vm);
  // The running guest is stopped first: what it had not written is discarded with Now's disks.
  await stopGuest(vm);

  const half = Math.floor(ctx.timing.apply / 2);
  await showProgress(ctx, vm, LABEL, 0, half);
  const created: string[] = [];
  try {
    const newDisks: string[] = [];
    for (const frozen of target.disks) {
      const base = chainOf(vm.file.disks, frozen).at(-1) ?? frozen;
      const child = await newDifferencingDiskPath(ctx, base);
      created.push(child);
      await createPendingDifferencingDisk(ctx, child, frozen);
      newDisks.push(child);
    }
    await showProgress(ctx, vm, LABEL, 50, ctx.timing.apply - half);

    // Commit: the VM now derives from X, stopped, with X's configuration.
    const hadSavedState = vm.file.savedState !== null;
    target.disks.forEach((frozen, index) => {
      const child = newDisks[index];
      const drive = vm.file.drives[index];
      if (child === undefined || drive === undefined) return;
      vm.file.disks[child] = { parent: frozen };
      drive.path = child;
      if (record !== undefined)
        drive.virtualSizeBytes = record.virtualSizes[index] ?? drive.virtualSizeBytes;
    });
    if (record !== undefined) {
      vm.file.configuration = { ...structuredClone(record.configuration) };
    }
    vm.file.parentCheckpointId = target.id;
    // The VM starts executing a snapshot: a new VM-Generation ID (guest/vmGenerationId.ts, R32).
    vm.file.vmGenerationId = newVmGenerationId();
    vm.file.state = 'Off';
    vm.state = 'Off';
    vm.file.uptimeMs = 0;
    vm.file.runningSince = null;
    vm.file.savedState = null;
    await persistVm(ctx, vm);
    created.length = 0;
    await settlePendingDisks(ctx, newDisks);

    // A Standard checkpoint with memory brings the VM back Saved, with the saved uptime.
    if (record?.hasSavedState === true) {
      const from = checkpointSavedStatePath(vm.file.snapshotFileLocation, target.id);
      // A QEMU VM's is QEMU's saved state: Start restores it (`-incoming`) onto Now's new disk.
      if (runsUnderQemu(ctx, vm)) await copyQemuSavedState(ctx, from, vmSavedStatePath(vm.file.id));
      else await copySavedState(ctx.store, from, vmSavedStatePath(vm.file.id), ctx.ids.newGuid());
      vm.file.savedState = {
        uptimeMs: record.savedUptimeMs,
        ...(record.qemuDevices === undefined ? {} : { qemuDevices: record.qemuDevices }),
      };
      vm.file.state = 'Saved';
      vm.state = 'Saved';
      await persistVm(ctx, vm);
    } else if (hadSavedState) {
      await unlinkQuietly(ctx, vmSavedStatePath(vm.file.id));
    }
    await removeOrphanDisks(ctx, vm);
    await showProgress(ctx, vm, LABEL, 100);
    await refreshSizes(ctx, vm);
  } finally {
    vm.progress = null;
    for (const path of created) await removeUncommittedFile(ctx, path);
  }
  emitVmChanged(ctx, vm);
  emit(ctx, { type: 'checkpoints-changed', vmId: vm.file.id });
  return toVmSummary(ctx, vm);
}

/** Revert = Apply(parent of Now). */
export async function revertVm(
  ctx: HostContext,
  vm: VmRuntime,
  input: ApplyCheckpointInput = {},
): Promise<VmSummary> {
  const parent = vm.file.parentCheckpointId;
  if (parent === null)
    throw invalidState(vm.file.name, vm.state, 'revert: the virtual machine has no checkpoint');
  return applyCheckpoint(ctx, vm, parent, input);
}
