/**
 * Get-VMBios and Set-VMBios: the BIOS of a Generation 1 VM (Microsoft's references: "Configures
 * the BIOS of a Generation 1 virtual machine"; -StartupOrder <BootDevice[]> of CD, IDE,
 * LegacyNetworkAdapter, Floppy; -EnableNumLock, -DisableNumLock).
 */
import type { BiosStartupDevice, VmDetail } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { updateFirmware } from './firmwareErrors.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';

export const VM_BIOS_TYPE = 'Microsoft.HyperV.PowerShell.VMBios';
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;
const BOOT_DEVICES: readonly BiosStartupDevice[] = ['CD', 'IDE', 'LegacyNetworkAdapter', 'Floppy'];

export function biosObject(ctx: CmdletContext, vm: VmDetail): PsObject {
  return new PsObject(VM_BIOS_TYPE, {
    VMName: vm.name,
    StartupOrder: [...(vm.firmware?.startupOrder ?? BOOT_DEVICES)],
    NumLockEnabled: vm.firmware?.numLockEnabled ?? false,
    VMId: vm.id,
    ComputerName: ctx.host.info().name,
  });
}

/**
 * [B] A Generation 2 VM has UEFI firmware, not a BIOS. The reference says the cmdlet "throws an
 * error"; its words were not found, so this record mirrors Hyper-V's Generation 1 record of the
 * VMFirmware cmdlets (AutomatedLab/AutomatedLab#18) the other way round.
 */
function generationTwoBios(vm: VmDetail): PsError {
  return new PsError(
    `The Generation 2 virtual machine or snapshot "${vm.name}" does not support the VMBios cmdlets. Use Get-VMFirmware and Set-VMFirmware instead.`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'VirtualizationException',
    },
  );
}

/**
 * PowerShell's enum conversion record for a -StartupOrder value that is no BootDevice (the
 * binder's "Cannot convert value ... Specify one of the following enumerator names" wording, as
 * src/runtime/binding.ts writes it for other enums).
 */
function notABootDevice(value: string): PsError {
  return new PsError(
    `Cannot bind parameter 'StartupOrder'. Cannot convert value "${value}" to type "Microsoft.HyperV.PowerShell.BootDevice". Error: "Unable to match the identifier name ${value} to a valid enumerator name. Specify one of the following enumerator names and try again: ${BOOT_DEVICES.join(', ')}"`,
    {
      category: 'InvalidArgument',
      errorId: 'CannotConvertArgumentNoMessage',
      exceptionType: 'ParameterBindingException',
      reach: 'statement',
    },
  );
}

const getVmBios: CmdletDef = {
  name: 'Get-VMBios',
  className: cls('GetVMBios'),
  parameterSets: vmNameOrVmSets,
  params: vmNameOrVmParams,
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) {
      const detail = ctx.host.getVm(vm.id);
      if (detail.generation === 2) ctx.writeError(generationTwoBios(detail));
      else ctx.write(biosObject(ctx, detail));
    }
    return Promise.resolve();
  },
};

const setVmBios: CmdletDef = {
  name: 'Set-VMBios',
  className: cls('SetVMBios'),
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'StartupOrder', type: 'string[]' },
    { name: 'EnableNumLock', type: 'switch' },
    { name: 'DisableNumLock', type: 'switch' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const order = Array.isArray(params.StartupOrder)
      ? (params.StartupOrder as string[]).map((value) => {
          const device = BOOT_DEVICES.find((d) => d.toLowerCase() === value.trim().toLowerCase());
          if (device === undefined) throw notABootDevice(value);
          return device;
        })
      : undefined;
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      const detail = ctx.host.getVm(vm.id);
      if (detail.generation === 2) throw generationTwoBios(detail);
      const firmware: { startupOrder?: BiosStartupDevice[]; numLockEnabled?: boolean } = {};
      if (order !== undefined) firmware.startupOrder = order;
      if (params.EnableNumLock === true) firmware.numLockEnabled = true;
      if (params.DisableNumLock === true) firmware.numLockEnabled = false;
      if (!(await ctx.shouldProcess(vm.name))) return;
      if (Object.keys(firmware).length > 0) await updateFirmware(ctx, vm, { firmware }, 'BIOS');
      if (params.Passthru === true) ctx.write(biosObject(ctx, ctx.host.getVm(vm.id)));
    });
  },
};

export const vmBiosCmdlets: CmdletDef[] = [getVmBios, setVmBios];
