/**
 * Get-, Add- and Remove-VMScsiController over the engine's SCSI controllers
 * (`vm/scsiControllers.ts`: up to 4, numbered 0 up, added and removed only while the VM is Off; a
 * controller that still has drives is not removed).
 */
import type { VmDetail, VmId } from '@hvm/engine';
import { PsObject, toPsString } from '../runtime/values.js';
import type { Bound, CmdletContext, CmdletDef } from './types.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { driveObject } from './disk.js';

export const VM_SCSI_CONTROLLER_TYPE = 'Microsoft.HyperV.PowerShell.VMScsiController';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

/** A controller: its number, and its drives as Get-VMHardDiskDrive's objects (Drives). */
export function scsiControllerObject(
  ctx: CmdletContext,
  vm: VmDetail,
  controllerNumber: number,
): PsObject {
  const computerName = ctx.host.info().name;
  const drives = vm.hardDrives
    .filter((d) => new RegExp(`^SCSI ${controllerNumber}:\\d+$`, 'i').test(d.controllerLocation))
    .map((d) => driveObject(vm, d, computerName));
  return new PsObject(VM_SCSI_CONTROLLER_TYPE, {
    // "SCSI Controller", the name Hyper-V Manager and Get-VMScsiController give every one.
    Name: 'SCSI Controller',
    ControllerNumber: controllerNumber,
    Drives: drives,
    VMName: vm.name,
    VMId: vm.id,
    ComputerName: computerName,
  });
}

function controllerNumbers(vm: VmDetail): number[] {
  return (vm.scsiControllers ?? [{ controllerNumber: 0 }]).map((c) => c.controllerNumber);
}

/**
 * Get-VMScsiController (Microsoft's reference): [-VMName] <String[]> or [-VM] <VirtualMachine[]>,
 * [[-ControllerNumber] <Int32>] (the VMSnapshot set is not implemented).
 */
const getVmScsiController: CmdletDef = {
  name: 'Get-VMScsiController',
  className: cls('GetVMScsiController'),
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'ControllerNumber', type: 'int', netType: 'System.Int32', position: 1 },
  ],
  process(ctx, params) {
    for (const summary of vmsOf(ctx, params)) {
      const vm = ctx.host.getVm(summary.id);
      for (const number of controllerNumbers(vm)) {
        if (typeof params.ControllerNumber === 'number' && params.ControllerNumber !== number)
          continue;
        ctx.write(scsiControllerObject(ctx, vm, number));
      }
    }
    return Promise.resolve();
  },
};

/** Add-VMScsiController (Microsoft's reference): [-VMName] or [-VM]; -Passthru writes the new one. */
const addVmScsiController: CmdletDef = {
  name: 'Add-VMScsiController',
  className: cls('AddVMScsiController'),
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [...vmNameOrVmParams, { name: 'Passthru', type: 'switch' }],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      if (!(await ctx.shouldProcess(vm.name))) return;
      const updated = await ctx.host.addScsiController(vm.id);
      const added = controllerNumbers(updated).at(-1) ?? 0;
      if (params.Passthru === true) ctx.write(scsiControllerObject(ctx, updated, added));
    });
  },
};

/** The controllers a Remove- call names: objects from the pipeline, or -VMName with -ControllerNumber. */
function targetControllers(
  ctx: CmdletContext,
  params: Bound,
): { vm: VmDetail; controllerNumber: number }[] {
  const objects = params.VMScsiController;
  if (objects instanceof PsObject || Array.isArray(objects)) {
    return (Array.isArray(objects) ? objects : [objects]).map((o) => {
      const object = o as PsObject;
      return {
        vm: ctx.host.getVm(toPsString(object.get('VMId')) as VmId),
        controllerNumber: Number(object.get('ControllerNumber')),
      };
    });
  }
  return vmsOf(ctx, params).map((vm) => ({
    vm: ctx.host.getVm(vm.id),
    controllerNumber: Number(params.ControllerNumber),
  }));
}

/**
 * Remove-VMScsiController (Microsoft's reference): [-VMName] <String[]> [-ControllerNumber]
 * <Int32>, or [-VMScsiController] objects from the pipeline (its example 1: `Get-VMScsiController
 * -VMName TestVM -ControllerNumber 0 | Remove-VMScsiController`); -Passthru. ConfirmImpact Medium:
 * [B] the module's attribute is not published; its example runs with no answer to a question.
 */
const removeVmScsiController: CmdletDef = {
  name: 'Remove-VMScsiController',
  className: cls('RemoveVMScsiController'),
  shouldProcess: true,
  confirmImpact: 'Medium',
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName', 'ControllerNumber'] },
    { name: 'Object', mandatory: ['VMScsiController'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, notNullOrEmpty: true },
    { name: 'ControllerNumber', type: 'int', netType: 'System.Int32', position: 1 },
    {
      name: 'VMScsiController',
      type: 'object[]',
      objectTypes: [VM_SCSI_CONTROLLER_TYPE],
      position: 0,
      pipelineByValue: true,
    },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetControllers(ctx, params), async ({ vm, controllerNumber }) => {
      if (!(await ctx.shouldProcess(`${vm.name}: SCSI Controller ${controllerNumber}`))) return;
      const before = scsiControllerObject(ctx, vm, controllerNumber);
      await ctx.host.removeScsiController(vm.id, controllerNumber);
      if (params.Passthru === true) ctx.write(before);
    });
  },
};

export const vmScsiControllerCmdlets: CmdletDef[] = [
  getVmScsiController,
  addVmScsiController,
  removeVmScsiController,
];
