/** Get-VMHardDiskDrive, from what the engine reports about a VM's disks (Get-VHD is in vhd.ts). */
import type { HardDrive, VmDetail } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { VM_TYPE } from './objects.js';
import { vmsOf } from './eachVm.js';
import type { CmdletDef } from './types.js';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;
export const DRIVE_TYPE = 'Microsoft.HyperV.PowerShell.HardDiskDrive';

export function driveObject(vm: VmDetail, drive: HardDrive, computerName: string): PsObject {
  const match = /^(\w+)\s+(\d+):(\d+)$/.exec(drive.controllerLocation);
  return new PsObject(DRIVE_TYPE, {
    VMName: vm.name,
    ControllerType: match?.[1] ?? drive.controllerLocation,
    ControllerNumber: Number(match?.[2] ?? 0),
    ControllerLocation: Number(match?.[3] ?? 0),
    DiskNumber: null,
    Path: drive.path,
    VMId: vm.id,
    ComputerName: computerName,
  });
}

const getDrive: CmdletDef = {
  name: 'Get-VMHardDiskDrive',
  className: cls('GetVMHardDiskDrive'),
  // Microsoft's reference: -VMName or -VM required (VMSnapshot and VMDriveController sets not implemented).
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'] },
    { name: 'VMObject', mandatory: ['VM'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
    {
      name: 'ControllerType',
      type: 'enum',
      enumValues: ['IDE', 'SCSI'],
      enumType: 'Microsoft.HyperV.PowerShell.ControllerType',
    },
    { name: 'ControllerNumber', type: 'int', netType: 'System.Int32' },
    { name: 'ControllerLocation', type: 'int', netType: 'System.Int32' },
  ],
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) {
      const detail = ctx.host.getVm(vm.id);
      for (const drive of detail.hardDrives) {
        const o = driveObject(detail, drive, ctx.host.info().name);
        if (
          params.ControllerType !== undefined &&
          o.get('ControllerType') !== params.ControllerType
        )
          continue;
        if (
          params.ControllerNumber !== undefined &&
          o.get('ControllerNumber') !== params.ControllerNumber
        )
          continue;
        if (
          params.ControllerLocation !== undefined &&
          o.get('ControllerLocation') !== params.ControllerLocation
        )
          continue;
        ctx.write(o);
      }
    }
    return Promise.resolve();
  },
};

export const diskCmdlets: CmdletDef[] = [getDrive];
