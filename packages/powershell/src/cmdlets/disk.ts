/** Get-VMHardDiskDrive and Get-VHD, from what the engine reports about a VM's disks. */
import type { HardDrive, VmDetail } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import { VM_TYPE, targetVms, vmNotFoundError } from './objects.js';
import type { CmdletDef } from './types.js';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;
const DRIVE_TYPE = 'Microsoft.HyperV.PowerShell.HardDiskDrive';
const VHD_TYPE = 'Microsoft.Vhd.PowerShell.VirtualHardDisk';

function driveObject(vm: VmDetail, drive: HardDrive, computerName: string): PsObject {
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
    for (const vm of targetVms(ctx.host, params, 'VMName', (n) =>
      ctx.writeError(vmNotFoundError(n)),
    )) {
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

const norm = (p: string): string => p.replace(/\\/g, '/').toLowerCase();

const getVhd: CmdletDef = {
  name: 'Get-VHD',
  className: 'Microsoft.Vhd.PowerShell.Cmdlets.GetVHD',
  // Microsoft's Get-VHD reference: -Path required in the Path set (Disk and VMId sets not implemented).
  parameterSets: [{ name: 'Path', mandatory: ['Path'] }],
  params: [
    {
      name: 'Path',
      type: 'string[]',
      aliases: ['FullName'],
      position: 0,
      pipelineByValue: true,
      pipelineByPropertyName: true,
    },
  ],
  process(ctx, params) {
    const paths = (params.Path as string[] | undefined) ?? [];
    for (const path of paths) {
      const wanted = norm(path);
      let found: PsObject | null = null;
      for (const vm of ctx.host.listVms()) {
        const detail = ctx.host.getVm(vm.id);
        for (const drive of detail.hardDrives) {
          const index = drive.chain.findIndex(
            (p) => wanted === norm(p) || wanted.endsWith(`/${norm(p)}`),
          );
          if (index === -1 || found) continue;
          const file = drive.chain[index] ?? drive.path;
          found = new PsObject(VHD_TYPE, {
            ComputerName: ctx.host.info().name,
            Path: file,
            VhdFormat:
              file.toLowerCase().endsWith('.vhd') || file.toLowerCase().endsWith('.avhd')
                ? 'VHD'
                : 'VHDX',
            VhdType: index < drive.chain.length - 1 ? 'Differencing' : 'Dynamic',
            Size: drive.virtualSizeBytes,
            ParentPath: drive.chain[index + 1] ?? '',
            Attached: index === 0 && detail.state !== 'Off' && detail.state !== 'Saved',
          });
        }
      }
      if (found) ctx.write(found);
      else
        ctx.writeError(
          new PsError(`Getting the mounted storage instance for the path '${path}' failed.`, {
            category: 'ObjectNotFound',
            errorId: 'ObjectNotFound',
            exceptionType: 'VirtualizationException',
          }),
        );
    }
    return Promise.resolve();
  },
};

export const diskCmdlets: CmdletDef[] = [getDrive, getVhd];
