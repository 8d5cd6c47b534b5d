/**
 * Hyper-V's "Failed to modify device" records for memory and processor settings, and the checks
 * the cmdlets make before asking the engine, so that the record reads as Hyper-V's.
 */
import type { VmSettingsUpdate, VmSummary } from '@hvm/engine';
import { ErrorCode, isEngineError } from '@hvm/engine';
import { PsError } from '../errors.js';
import type { CmdletContext } from './types.js';

const MB = 1024 * 1024;

/**
 * A memory value that is not a multiple of 2 MB. Hyper-V's words (New-VM in kubernetes/minikube#6973
 * and #16592): four lines, the VM ID in upper case, CategoryInfo InvalidArgument. [B] the
 * FullyQualifiedErrorId is cut off in those transcripts; InvalidParameter is Hyper-V's id for its
 * other InvalidArgument records (R30).
 */
export function memoryNotAligned(vm: VmSummary, bytes: number): PsError {
  const id = vm.id.toUpperCase();
  return new PsError(
    [
      "Failed to modify device 'Memory'.",
      `Invalid memory value assigned for '${vm.name}'. Memory values must be properly aligned.`,
      `'${vm.name}' failed to modify device 'Memory'. (Virtual machine ID ${id})`,
      `Invalid memory value assigned for '${vm.name}'. The memory value assigned ('${Math.floor(bytes / MB)}' MB) is not properly aligned. Try again with a memory value that is properly aligned. (Virtual machine ID ${id})`,
    ].join('\n'),
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'VirtualizationException',
    },
  );
}

/**
 * A change Hyper-V refuses in the VM's current state. The memory record is Hyper-V's (Set-VMMemory
 * in hashicorp/packer#8633: InvalidOperation, InvalidState); [B] the processor one follows it.
 */
export function cannotModifyDevice(vm: VmSummary, device: 'Memory' | 'Processor'): PsError {
  return new PsError(
    [
      `Failed to modify device '${device}'.`,
      `'${vm.name}' failed to modify device '${device}'. (Virtual machine ID ${vm.id.toUpperCase()})`,
    ].join('\n'),
    {
      category: 'InvalidOperation',
      errorId: 'InvalidState',
      exceptionType: 'VirtualizationException',
    },
  );
}

/** Memory given in bytes: whole, even numbers of MB, or Hyper-V's alignment record. */
export function memoryMB(vm: VmSummary, bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0 || bytes % (2 * MB) !== 0)
    throw memoryNotAligned(vm, bytes);
  return bytes / MB;
}

/** Applies a processor or memory change, turning the engine's state refusal into Hyper-V's record. */
export async function updateHardware(
  ctx: CmdletContext,
  vm: VmSummary,
  update: VmSettingsUpdate,
  device: 'Memory' | 'Processor',
): Promise<void> {
  try {
    await ctx.host.updateVmSettings(vm.id, update);
  } catch (error) {
    if (isEngineError(error, ErrorCode.InvalidState)) throw cannotModifyDevice(vm, device);
    throw error;
  }
}
