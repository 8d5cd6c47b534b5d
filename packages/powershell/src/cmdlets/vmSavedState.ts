/**
 * Remove-VMSavedState: "deletes the saved state of a saved virtual machine. Note: data contained
 * in the memory of the virtual machine may be lost; data on its virtual hard disk drives are
 * unaffected" (Microsoft's Remove-VMSavedState reference, hh848476). Its VMName set takes
 * `[-VMName] <String[]>`, its VMObject set `[-VM] <VirtualMachine[]>`; both take -Confirm and
 * -WhatIf. The VMSnapshot set (a checkpoint's saved state) is not offered here.
 */
import { VM_TYPE } from './objects.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { CmdletDef } from './types.js';

export const removeVmSavedState: CmdletDef = {
  name: 'Remove-VMSavedState',
  className: 'Microsoft.HyperV.PowerShell.Commands.RemoveVMSavedState',
  shouldProcess: true,
  // The reference does not state the cmdlet's ConfirmImpact; PowerShell's default (Medium) is kept.
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'] },
    { name: 'VMObject', mandatory: ['VM'] },
  ],
  params: [
    {
      name: 'VMName',
      type: 'string[]',
      position: 0,
      pipelineByValue: true,
      notNullOrEmpty: true,
    },
    { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params, 'VMName'), async (vm) => {
      // Hyper-V's own What if/confirmation text for this cmdlet is not known: PowerShell's default
      // ("Performing the operation "Remove-VMSavedState" on target ...") is kept.
      if (!(await ctx.shouldProcess(vm.name))) return;
      // The engine refuses a VM that is not Saved (InvalidState), written as this VM's error record.
      await ctx.host.deleteSavedState(vm.id);
    });
  },
};
