/**
 * The record of a firmware or security change Hyper-V refuses in the VM's current state. [B] Its
 * wording follows Hyper-V's "Failed to modify device" record for memory (hardwareErrors.ts,
 * hashicorp/packer#8633) with the device named as Hyper-V Manager names the page; Hyper-V's exact
 * words for firmware and the TPM were not found in a public transcript.
 */
import type { VmSettingsUpdate, VmSummary } from '@hvm/engine';
import { ErrorCode, isEngineError } from '@hvm/engine';
import { PsError } from '../errors.js';
import type { CmdletContext } from './types.js';

export function cannotModifyFirmware(vm: VmSummary, device: string): PsError {
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

/** Applies a firmware or security change, turning the engine's state refusal into the record above. */
export async function updateFirmware(
  ctx: CmdletContext,
  vm: VmSummary,
  update: VmSettingsUpdate,
  device: string,
): Promise<void> {
  try {
    await ctx.host.updateVmSettings(vm.id, update);
  } catch (error) {
    if (isEngineError(error, ErrorCode.InvalidState)) throw cannotModifyFirmware(vm, device);
    throw error;
  }
}
