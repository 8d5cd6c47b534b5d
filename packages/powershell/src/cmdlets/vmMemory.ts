/** Get-VMMemory and Set-VMMemory: a VM's startup memory and Dynamic Memory. */
import type { VmSettingsUpdate, VmSummary } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { memoryMB, updateHardware } from './hardwareErrors.js';
import { VM_TYPE } from './objects.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { CmdletContext, CmdletDef, ParamDef, ParameterSetDef } from './types.js';

export const VM_MEMORY_TYPE = 'Microsoft.HyperV.PowerShell.VMMemory';
const MB = 1024 * 1024;
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

export function vmMemoryObject(ctx: CmdletContext, vm: VmSummary): PsObject {
  const detail = ctx.host.getVm(vm.id);
  const hardware = detail.hardware;
  return new PsObject(VM_MEMORY_TYPE, {
    VMName: detail.name,
    DynamicMemoryEnabled: hardware?.dynamicMemoryEnabled ?? false,
    Minimum: (hardware?.memoryMinimumMB ?? 512) * MB,
    Startup: detail.memoryStartupMB * MB,
    Maximum: (hardware?.memoryMaximumMB ?? 1_048_576) * MB,
    Buffer: hardware?.memoryBufferPercent ?? 20,
    Priority: hardware?.memoryWeight ?? 50,
    ResourcePoolName: 'Primordial',
    VMId: detail.id,
    ComputerName: ctx.host.info().name,
  });
}

/** -VMName (position 0, required in its set) or -VM objects from the pipeline, as the Get-/Set-VM* device cmdlets take them. */
export const vmNameOrVmParams: ParamDef[] = [
  { name: 'VMName', type: 'string[]', position: 0, notNullOrEmpty: true },
  { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
];
export const vmNameOrVmSets: ParameterSetDef[] = [
  { name: 'VMName', mandatory: ['VMName'] },
  { name: 'VMObject', mandatory: ['VM'] },
];

const getVmMemory: CmdletDef = {
  name: 'Get-VMMemory',
  className: cls('GetVMMemory'),
  // Microsoft's Get-VMMemory reference: -VMName or -VM (the VMSnapshot set is not implemented).
  parameterSets: vmNameOrVmSets,
  params: vmNameOrVmParams,
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) ctx.write(vmMemoryObject(ctx, vm));
    return Promise.resolve();
  },
};

/** The memory part of a settings change, from Set-VMMemory's or Set-VM's parameters (bytes). */
export function memoryUpdate(
  vm: VmSummary,
  values: {
    startup?: unknown;
    minimum?: unknown;
    maximum?: unknown;
    dynamic?: unknown;
    buffer?: unknown;
    priority?: unknown;
  },
): VmSettingsUpdate {
  const update: VmSettingsUpdate = {};
  if (typeof values.dynamic === 'boolean') update.dynamicMemoryEnabled = values.dynamic;
  if (typeof values.startup === 'number') update.memoryStartupMB = memoryMB(vm, values.startup);
  if (typeof values.minimum === 'number') update.memoryMinimumMB = memoryMB(vm, values.minimum);
  if (typeof values.maximum === 'number') update.memoryMaximumMB = memoryMB(vm, values.maximum);
  if (typeof values.buffer === 'number') update.memoryBufferPercent = values.buffer;
  if (typeof values.priority === 'number') update.memoryWeight = values.priority;
  return update;
}

/**
 * Set-VMMemory. Values are multiples of 2 MB, or Hyper-V's "properly aligned" record; the startup
 * memory and turning Dynamic Memory on or off need the VM Off (the engine refuses otherwise, and
 * the record is Hyper-V's "Failed to modify device 'Memory'.").
 */
const setVmMemory: CmdletDef = {
  name: 'Set-VMMemory',
  className: cls('SetVMMemory'),
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'StartupBytes', type: 'int', netType: 'System.Int64' },
    { name: 'DynamicMemoryEnabled', type: 'bool' },
    { name: 'MinimumBytes', type: 'int', netType: 'System.Int64' },
    { name: 'MaximumBytes', type: 'int', netType: 'System.Int64' },
    { name: 'Buffer', type: 'int', netType: 'System.Int32' },
    { name: 'Priority', type: 'int', netType: 'System.Int32' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      const update = memoryUpdate(vm, {
        startup: params.StartupBytes,
        minimum: params.MinimumBytes,
        maximum: params.MaximumBytes,
        dynamic: params.DynamicMemoryEnabled,
        buffer: params.Buffer,
        priority: params.Priority,
      });
      if (!(await ctx.shouldProcess(vm.name))) return;
      if (Object.keys(update).length > 0) await updateHardware(ctx, vm, update, 'Memory');
      if (params.Passthru === true) ctx.write(vmMemoryObject(ctx, vm));
    });
  },
};

export const vmMemoryCmdlets: CmdletDef[] = [getVmMemory, setVmMemory];
