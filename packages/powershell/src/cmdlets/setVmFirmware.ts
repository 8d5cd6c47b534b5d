/**
 * Set-VMFirmware: Secure Boot and its template of a Generation 2 VM, and its boot order
 * (Microsoft's Set-VMFirmware reference: "-EnableSecureBoot <OnOffState>", "-SecureBootTemplate
 * <String>", "-BootOrder <VMComponentObject[]>", "-FirstBootDevice <VMComponentObject>"). The boot
 * order is the engine's firmware setting, the one the Settings dialog's Firmware page changes.
 */
import type { VmDetail, VmFirmwareUpdate } from '@hvm/engine';
import { PsError } from '../errors.js';
import { BOOT_DEVICE_TYPES, bootOrderFrom, firstBootDeviceOrder } from './bootOrder.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { updateFirmware } from './firmwareErrors.js';
import type { CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { firmwareObject, generationOneFirmware } from './vmFirmware.js';

/** Set-VMFirmware -SecureBootTemplate: the templates Get-VMFirmware names. */
const SECURE_BOOT_TEMPLATES = [
  'MicrosoftWindows',
  'MicrosoftUEFICertificateAuthority',
  'OpenSourceShieldedVM',
] as const;

/**
 * [B] A template name Hyper-V does not know. The parameter is a String in Microsoft's reference, so
 * the host refuses it, not the binder; its exact words were not found: this sentence is ours.
 */
function unknownTemplate(name: string): PsError {
  return new PsError(
    `The Secure Boot template '${name}' was not found. Valid templates: ${SECURE_BOOT_TEMPLATES.join(', ')}.`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'VirtualizationException',
    },
  );
}

/** The VM's firmware with the drives in `order` (a -BootOrder that -FirstBootDevice then changes). */
function withOrder(vm: VmDetail, order: string[]): Pick<VmDetail, 'firmware'> {
  if (vm.firmware === undefined) return {};
  const entries = vm.firmware.bootOrder;
  return {
    firmware: {
      ...vm.firmware,
      bootOrder: order.flatMap((l) => entries.filter((e) => e.controllerLocation === l)),
    },
  };
}

export const setVmFirmware: CmdletDef = {
  name: 'Set-VMFirmware',
  className: 'Microsoft.HyperV.PowerShell.Commands.SetVMFirmware',
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    {
      name: 'EnableSecureBoot',
      type: 'enum',
      enumValues: ['On', 'Off'],
      enumType: 'Microsoft.HyperV.PowerShell.OnOffState',
    },
    { name: 'SecureBootTemplate', type: 'string' },
    { name: 'BootOrder', type: 'object[]', objectTypes: BOOT_DEVICE_TYPES },
    { name: 'FirstBootDevice', type: 'object', objectTypes: BOOT_DEVICE_TYPES },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      const detail = ctx.host.getVm(vm.id);
      if (detail.generation === 1) {
        ctx.writeError(generationOneFirmware(detail));
        return;
      }
      const firmware: VmFirmwareUpdate = {};
      if (typeof params.EnableSecureBoot === 'string')
        firmware.secureBootEnabled = params.EnableSecureBoot.toLowerCase() === 'on';
      if (typeof params.SecureBootTemplate === 'string') {
        const wanted = params.SecureBootTemplate.toLowerCase();
        const template = SECURE_BOOT_TEMPLATES.find((t) => t.toLowerCase() === wanted);
        if (template === undefined) throw unknownTemplate(params.SecureBootTemplate);
        firmware.secureBootTemplate = template;
      }
      if (params.BootOrder !== undefined) {
        const objects = Array.isArray(params.BootOrder) ? params.BootOrder : [params.BootOrder];
        firmware.bootOrder = bootOrderFrom(detail, objects);
      }
      if (params.FirstBootDevice !== undefined)
        firmware.bootOrder = firstBootDeviceOrder(
          {
            ...detail,
            ...(firmware.bootOrder === undefined ? {} : withOrder(detail, firmware.bootOrder)),
          },
          params.FirstBootDevice,
        );
      if (!(await ctx.shouldProcess(vm.name))) return;
      if (Object.keys(firmware).length > 0) await updateFirmware(ctx, vm, { firmware }, 'Firmware');
      if (params.Passthru === true) ctx.write(firmwareObject(ctx, ctx.host.getVm(vm.id)));
    });
  },
};
