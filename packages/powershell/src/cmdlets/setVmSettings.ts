/**
 * Set-VM's settings beyond the checkpoint ones: processors, memory, notes and the automatic start
 * and stop actions (Microsoft's Set-VM reference). Memory values follow Set-VMMemory's rules.
 */
import type { VmSettingsUpdate, VmSummary } from '@hvm/engine';
import { AutomaticStartAction, AutomaticStopAction } from '@hvm/engine';
import { PsError } from '../errors.js';
import { updateHardware } from './hardwareErrors.js';
import type { Bound, CmdletContext, ParamDef } from './types.js';
import { memoryUpdate } from './vmMemory.js';

export const setVmHardwareParams: ParamDef[] = [
  { name: 'ProcessorCount', type: 'int', netType: 'System.Int64' },
  { name: 'DynamicMemory', type: 'switch' },
  { name: 'StaticMemory', type: 'switch' },
  { name: 'MemoryMinimumBytes', type: 'int', netType: 'System.Int64' },
  { name: 'MemoryMaximumBytes', type: 'int', netType: 'System.Int64' },
  { name: 'Notes', type: 'string' },
  {
    name: 'AutomaticStartAction',
    type: 'enum',
    enumValues: Object.values(AutomaticStartAction),
    enumType: 'Microsoft.HyperV.PowerShell.StartAction',
  },
  {
    name: 'AutomaticStopAction',
    type: 'enum',
    enumValues: Object.values(AutomaticStopAction),
    enumType: 'Microsoft.HyperV.PowerShell.StopAction',
  },
  { name: 'AutomaticStartDelay', type: 'int', netType: 'System.Int32' },
];

/**
 * -DynamicMemory and -StaticMemory together contradict each other. [B] our wording: Hyper-V's
 * record for it was not found; PowerShell would give a parameter set error were they in different
 * sets, and the reference puts both in every set.
 */
function bothMemoryKinds(): PsError {
  return new PsError('-DynamicMemory and -StaticMemory cannot be used together.', {
    category: 'InvalidArgument',
    errorId: 'InvalidParameter',
    exceptionType: 'VirtualizationException',
  });
}

/** The memory and processor part of Set-VM (bytes to MB, 2 MB alignment checked per VM). */
export function hardwareUpdateOf(vm: VmSummary, params: Bound): VmSettingsUpdate {
  if (params.DynamicMemory === true && params.StaticMemory === true) throw bothMemoryKinds();
  const dynamic =
    params.DynamicMemory === true ? true : params.StaticMemory === true ? false : undefined;
  const update = memoryUpdate(vm, {
    startup: params.MemoryStartupBytes,
    minimum: params.MemoryMinimumBytes,
    maximum: params.MemoryMaximumBytes,
    dynamic,
  });
  if (typeof params.ProcessorCount === 'number') update.processorCount = params.ProcessorCount;
  return update;
}

/** The other settings of Set-VM: notes and the automatic actions. */
export function otherSettingsOf(params: Bound): VmSettingsUpdate {
  const update: VmSettingsUpdate = {};
  if (typeof params.Notes === 'string') update.notes = params.Notes;
  if (typeof params.AutomaticStartAction === 'string')
    update.automaticStartAction = params.AutomaticStartAction as AutomaticStartAction;
  if (typeof params.AutomaticStopAction === 'string')
    update.automaticStopAction = params.AutomaticStopAction as AutomaticStopAction;
  if (typeof params.AutomaticStartDelay === 'number')
    update.automaticStartDelaySeconds = params.AutomaticStartDelay;
  return update;
}

/** Applies Set-VM's processor and memory changes with Hyper-V's records. */
export async function applyHardware(
  ctx: CmdletContext,
  vm: VmSummary,
  update: VmSettingsUpdate,
): Promise<void> {
  if (Object.keys(update).length === 0) return;
  const device = update.processorCount !== undefined && Object.keys(update).length === 1;
  await updateHardware(ctx, vm, update, device ? 'Processor' : 'Memory');
}
