/**
 * Get-VMDvdDrive. New-VM gives a Generation 1 VM a DVD drive on IDE 1:0 and a Generation 2 VM none
 * (Hyper-V Manager's New Virtual Machine wizard and New-VM); this host has no media to insert, so
 * the drive is always empty.
 */
import type { VmDetail } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { vmsOf } from './eachVm.js';

export const VM_DVD_DRIVE_TYPE = 'Microsoft.HyperV.PowerShell.DvdDrive';

export function dvdDrives(ctx: CmdletContext, vm: VmDetail): PsObject[] {
  if (vm.generation !== 1) return [];
  return [
    new PsObject(VM_DVD_DRIVE_TYPE, {
      VMName: vm.name,
      ControllerType: 'IDE',
      ControllerNumber: 1,
      ControllerLocation: 0,
      DvdMediaType: 'None',
      Path: null,
      Name: 'DVD Drive on IDE controller number 1 at location 0',
      VMId: vm.id,
      ComputerName: ctx.host.info().name,
    }),
  ];
}

const getVmDvdDrive: CmdletDef = {
  name: 'Get-VMDvdDrive',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMDvdDrive',
  // Microsoft's reference: [-VMName] <String[]> or [-VM] <VirtualMachine[]>, with
  // -ControllerNumber and -ControllerLocation filters (the VMSnapshot and controller sets are not
  // implemented).
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'ControllerNumber', type: 'int', netType: 'System.Int32' },
    { name: 'ControllerLocation', type: 'int', netType: 'System.Int32' },
  ],
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) {
      for (const drive of dvdDrives(ctx, ctx.host.getVm(vm.id))) {
        if (
          params.ControllerNumber !== undefined &&
          drive.get('ControllerNumber') !== params.ControllerNumber
        )
          continue;
        if (
          params.ControllerLocation !== undefined &&
          drive.get('ControllerLocation') !== params.ControllerLocation
        )
          continue;
        ctx.write(drive);
      }
    }
    return Promise.resolve();
  },
};

export const vmDvdDriveCmdlets: CmdletDef[] = [getVmDvdDrive];
