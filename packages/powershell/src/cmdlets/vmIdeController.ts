/**
 * Get-VMIdeController. A generation 1 VM has two IDE controllers, 0 and 1, fixed in the virtual
 * machine (Microsoft's Msvm_IDEController class reference: "The IDE controller is fixed in the
 * virtual machine ... not available to generation 2 virtual machines"); each lists its drives: the
 * hard drives at IDE n:x and, on controller 1, the DVD drive New-VM gives a generation 1 VM.
 */
import type { VmDetail } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmsOf } from './eachVm.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { driveObject } from './disk.js';
import { dvdDrives } from './vmDvdDrive.js';

export const VM_IDE_CONTROLLER_TYPE = 'Microsoft.HyperV.PowerShell.VMIdeController';

function ideControllerObject(ctx: CmdletContext, vm: VmDetail, controllerNumber: number): PsObject {
  const computerName = ctx.host.info().name;
  const hardDrives = vm.hardDrives
    .filter((d) => new RegExp(`^IDE ${controllerNumber}:\\d+$`, 'i').test(d.controllerLocation))
    .map((d) => driveObject(vm, d, computerName));
  const dvd = dvdDrives(ctx, vm).filter((d) => d.get('ControllerNumber') === controllerNumber);
  return new PsObject(VM_IDE_CONTROLLER_TYPE, {
    // "IDE Controller": the item Hyper-V Manager's Settings shows, with the number after it.
    Name: 'IDE Controller',
    ControllerNumber: controllerNumber,
    Drives: [...hardDrives, ...dvd],
    VMName: vm.name,
    VMId: vm.id,
    ComputerName: computerName,
  });
}

/**
 * Get-VMIdeController (Microsoft's reference): [-VMName] <String[]> or [-VM] <VirtualMachine[]>,
 * [[-ControllerNumber] <Int32>] with allowed values 0 and 1 (the VMSnapshot set is not
 * implemented). A generation 2 VM has none, so it writes nothing for one.
 */
const getVmIdeController: CmdletDef = {
  name: 'Get-VMIdeController',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMIdeController',
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'ControllerNumber', type: 'int', netType: 'System.Int32', position: 1 },
  ],
  process(ctx, params) {
    for (const summary of vmsOf(ctx, params)) {
      const vm = ctx.host.getVm(summary.id);
      if (vm.generation !== 1) continue;
      for (const number of [0, 1]) {
        if (typeof params.ControllerNumber === 'number' && params.ControllerNumber !== number)
          continue;
        ctx.write(ideControllerObject(ctx, vm, number));
      }
    }
    return Promise.resolve();
  },
};

export const vmIdeControllerCmdlets: CmdletDef[] = [getVmIdeController];
