/** Get-VMFirmware: the UEFI settings of a Generation 2 VM. */
import type { VmDetail } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { vmsOf } from './eachVm.js';
import { bootSources } from './bootOrder.js';

export const VM_FIRMWARE_TYPE = 'Microsoft.HyperV.PowerShell.VMFirmware';

/**
 * A Generation 1 VM has a BIOS, not UEFI. Hyper-V's words on Windows 10 / Server 2016 and later
 * (Set-VMFirmware in AutomatedLab/AutomatedLab#18); the category and id are those of the older
 * wording's record (hashicorp/vagrant#5509: InvalidArgument, InvalidParameter).
 */
export function generationOneFirmware(vm: VmDetail): PsError {
  return new PsError(
    `The Generation 1 virtual machine or snapshot "${vm.name}" does not support the VMFirmware cmdlets. Use Get-VMBios and Set-VMBios instead.`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'VirtualizationException',
    },
  );
}

/**
 * A Generation 2 VM's firmware as Get-VMFirmware shows it: Secure Boot and its template (the
 * engine's, which Set-VMFirmware changes; a new VM has it On with MicrosoftWindows), IPv4 network
 * boot, and the boot order of its devices as VMBootSource objects (`bootOrder.ts`).
 */
export function firmwareObject(ctx: CmdletContext, vm: VmDetail): PsObject {
  const firmware = vm.firmware;
  return new PsObject(VM_FIRMWARE_TYPE, {
    VMName: vm.name,
    SecureBoot: (firmware?.secureBootEnabled ?? true) ? 'On' : 'Off',
    SecureBootTemplate: firmware?.secureBootTemplate ?? 'MicrosoftWindows',
    PreferredNetworkBootProtocol: 'IPv4',
    BootOrder: bootSources(ctx, vm),
    ConsoleMode: 'Default',
    PauseAfterBootFailure: 'Off',
    VMId: vm.id,
    ComputerName: ctx.host.info().name,
  });
}

export const getVmFirmware: CmdletDef = {
  name: 'Get-VMFirmware',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMFirmware',
  // Microsoft's reference: [-VMName] <String[]> or [-VM] <VirtualMachine[]> (the VMSnapshot set is
  // not implemented).
  parameterSets: vmNameOrVmSets,
  params: vmNameOrVmParams,
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) {
      const detail = ctx.host.getVm(vm.id);
      if (detail.generation === 1) ctx.writeError(generationOneFirmware(detail));
      else ctx.write(firmwareObject(ctx, detail));
    }
    return Promise.resolve();
  },
};
