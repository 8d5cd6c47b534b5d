/**
 * Get-VMGuestSimulation and Set-VMGuestSimulation: NOT Hyper-V cmdlets. They are this simulator's
 * extension for demos (the engine's `setGuestSimulation`, see @hvm/engine's
 * guestSimulationTypes.ts): faults of a VM's simulated guest, so that Hyper-V's fallback and
 * failure paths can be shown with the real cmdlets (Checkpoint-VM falling back to Standard or
 * failing under ProductionOnly, Stop-VM's "Failed to stop."). Their objects' type is this
 * simulator's, not in the Microsoft.HyperV namespace. Shaped as Hyper-V's Get-/Set-VM* device
 * cmdlets are: -VMName or -VM, -Passthru, -WhatIf/-Confirm on Set.
 */
import type { VmSummary } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';

export const GUEST_SIMULATION_TYPE = 'HyperVManagerSimulator.GuestSimulation';

function guestSimulationObject(ctx: CmdletContext, vm: VmSummary): PsObject {
  const detail = ctx.host.getVm(vm.id);
  const faults = detail.guestSimulation;
  return new PsObject(GUEST_SIMULATION_TYPE, {
    VMName: detail.name,
    VssWriterFails: faults?.vssWriterFails ?? false,
    BackupDaemonStopped: faults?.backupDaemonStopped ?? false,
    IgnoresShutdown: faults?.ignoresShutdown ?? false,
    VMId: detail.id,
  });
}

const getVmGuestSimulation: CmdletDef = {
  name: 'Get-VMGuestSimulation',
  className: 'HyperVManagerSimulator.Commands.GetVMGuestSimulation',
  parameterSets: vmNameOrVmSets,
  params: vmNameOrVmParams,
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) ctx.write(guestSimulationObject(ctx, vm));
    return Promise.resolve();
  },
};

const setVmGuestSimulation: CmdletDef = {
  name: 'Set-VMGuestSimulation',
  className: 'HyperVManagerSimulator.Commands.SetVMGuestSimulation',
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'VssWriterFails', type: 'bool' },
    { name: 'BackupDaemonStopped', type: 'bool' },
    { name: 'IgnoresShutdown', type: 'bool' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const update = {
      ...(typeof params.VssWriterFails === 'boolean'
        ? { vssWriterFails: params.VssWriterFails }
        : {}),
      ...(typeof params.BackupDaemonStopped === 'boolean'
        ? { backupDaemonStopped: params.BackupDaemonStopped }
        : {}),
      ...(typeof params.IgnoresShutdown === 'boolean'
        ? { ignoresShutdown: params.IgnoresShutdown }
        : {}),
    };
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      // PowerShell's default What if/confirmation text ("Performing the operation ...").
      if (!(await ctx.shouldProcess(vm.name))) return;
      if (Object.keys(update).length > 0) await ctx.host.setGuestSimulation(vm.id, update);
      if (params.Passthru === true) ctx.write(guestSimulationObject(ctx, vm));
    });
  },
};

export const vmGuestSimulationCmdlets: CmdletDef[] = [getVmGuestSimulation, setVmGuestSimulation];
