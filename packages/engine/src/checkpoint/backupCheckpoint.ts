import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import { persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import type { Checkpoint, CheckpointId, ReferencePoint } from '../types.js';
import { recoveryCheckpointName } from './checkpointName.js';
import { findNode } from './checkpointTree.js';
import { createCheckpoint } from './createCheckpoint.js';
import { deleteCheckpoints } from './deleteCheckpoint.js';

/** The most a backup reads in one call. */
export const MAX_BACKUP_READ_BYTES = 4 * 1024 * 1024;

/**
 * Backup (behaviour spec §2): a recovery checkpoint, application-consistent when the guest can
 * quiesce through VSS, crash-consistent otherwise; never with memory. The caller holds the VM.
 */
export function createRecoveryCheckpoint(ctx: HostContext, vm: VmRuntime): Promise<Checkpoint> {
  const name = recoveryCheckpointName(vm.file.name, ctx.clock.now());
  return createCheckpoint(ctx, vm, { name }, { recovery: true });
}

/** Reads the frozen content of a checkpoint's system disk (through its chain). */
export async function readCheckpointDisk(
  ctx: HostContext,
  vm: VmRuntime,
  checkpointId: CheckpointId,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const node = findNode(vm, checkpointId);
  const disk = node.disks[0];
  const size =
    vm.checkpointFiles.get(node.id)?.virtualSizes[0] ?? vm.file.drives[0]?.virtualSizeBytes ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > size)
    throw invalidArgument('offset', `The offset must be a whole number between 0 and ${size}.`);
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_BACKUP_READ_BYTES)
    throw invalidArgument(
      'length',
      `The length must be between 0 and ${MAX_BACKUP_READ_BYTES} bytes.`,
    );
  if (disk === undefined || length === 0) return new Uint8Array(0);
  return ctx.disks.readDisk(ctx.store, disk, offset, Math.min(length, size - offset));
}

/**
 * ConvertToReferencePoint: the recovery checkpoint is deleted (its disks merge as for any delete)
 * and a reference point is recorded for the next incremental backup. Only recovery checkpoints
 * can be converted. The caller holds the VM.
 */
export async function convertToReferencePoint(
  ctx: HostContext,
  vm: VmRuntime,
  checkpointId: CheckpointId,
): Promise<ReferencePoint> {
  const node = findNode(vm, checkpointId);
  const record = vm.checkpointFiles.get(node.id);
  if (record?.kind !== 'Recovery') {
    throw new EngineError(
      ErrorCode.InvalidState,
      `Only recovery checkpoints can be converted to reference points; '${node.name}' is a ${record?.kind ?? 'Standard'} checkpoint.`,
      { vmName: vm.file.name, checkpoint: node.name, kind: record?.kind ?? 'Standard' },
    );
  }
  const point: ReferencePoint = {
    id: ctx.ids.newGuid(),
    vmId: vm.file.id,
    checkpointId: node.id,
    createdAt: record.createdAt,
    convertedAt: ctx.clock.now().toISOString(),
    consistency: record.consistency ?? null,
    virtualSizes: [...record.virtualSizes],
  };
  vm.file.referencePoints = [...(vm.file.referencePoints ?? []), point];
  try {
    await deleteCheckpoints(ctx, vm, node.id, false);
  } catch (error) {
    vm.file.referencePoints = vm.file.referencePoints.filter((p) => p.id !== point.id);
    await persistVm(ctx, vm);
    throw error;
  }
  return { ...point };
}

export function listReferencePoints(vm: VmRuntime): ReferencePoint[] {
  return (vm.file.referencePoints ?? []).map((point) => ({ ...point }));
}
