/** Get-VMProcessor and Set-VMProcessor: a VM's virtual processors. */
import type { VmSummary } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { updateHardware } from './hardwareErrors.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { CmdletContext, CmdletDef } from './types.js';

export const VM_PROCESSOR_TYPE = 'Microsoft.HyperV.PowerShell.VMProcessor';
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

export function vmProcessorObject(ctx: CmdletContext, vm: VmSummary): PsObject {
  const detail = ctx.host.getVm(vm.id);
  return new PsObject(VM_PROCESSOR_TYPE, {
    VMName: detail.name,
    Count: detail.hardware?.processorCount ?? 1,
    CompatibilityForMigrationEnabled: false,
    CompatibilityForOlderOperatingSystemsEnabled: false,
    // Hyper-V's defaults: reserve 0 %, limit 100 %, weight 100.
    Maximum: 100,
    Reserve: 0,
    RelativeWeight: 100,
    ExposeVirtualizationExtensions: false,
    VMId: detail.id,
    ComputerName: ctx.host.info().name,
  });
}

const getVmProcessor: CmdletDef = {
  name: 'Get-VMProcessor',
  className: cls('GetVMProcessor'),
  // Microsoft's Get-VMProcessor reference: -VMName or -VM (the VMSnapshot set is not implemented).
  parameterSets: vmNameOrVmSets,
  params: vmNameOrVmParams,
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) ctx.write(vmProcessorObject(ctx, vm));
    return Promise.resolve();
  },
};

/**
 * Set-VMProcessor -Count: only while the VM is Off (Hyper-V Manager greys the number out while it
 * runs), and no more than the host's logical processors.
 */
const setVmProcessor: CmdletDef = {
  name: 'Set-VMProcessor',
  className: cls('SetVMProcessor'),
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'Count', type: 'int', netType: 'System.Int64' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      if (!(await ctx.shouldProcess(vm.name))) return;
      if (typeof params.Count === 'number')
        await updateHardware(ctx, vm, { processorCount: params.Count }, 'Processor');
      if (params.Passthru === true) ctx.write(vmProcessorObject(ctx, vm));
    });
  },
};

export const vmProcessorCmdlets: CmdletDef[] = [getVmProcessor, setVmProcessor];
