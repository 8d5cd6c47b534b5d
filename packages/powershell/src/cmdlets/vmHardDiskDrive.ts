/**
 * Add-, Set- and Remove-VMHardDiskDrive over the engine's drive operations. Remove keeps the disk
 * file, as Hyper-V does. This host changes drives only while the VM is Off and has no checkpoints.
 */
import type { ControllerType, VmId, VmSummary } from '@hvm/engine';
import { PsError } from '../errors.js';
import type { PsObject } from '../runtime/values.js';
import { toPsString } from '../runtime/values.js';
import { DRIVE_TYPE, driveObject } from './disk.js';
import { VM_TYPE } from './objects.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';
import { forEachTarget, vmsOf } from './eachVm.js';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

const controllerParams: ParamDef[] = [
  {
    name: 'ControllerType',
    type: 'enum',
    enumValues: ['IDE', 'SCSI'],
    enumType: 'Microsoft.HyperV.PowerShell.ControllerType',
    position: 1,
  },
  { name: 'ControllerNumber', type: 'int', netType: 'System.Int32', position: 2 },
  { name: 'ControllerLocation', type: 'int', netType: 'System.Int32', position: 3 },
];

const driveParam: ParamDef = {
  name: 'VMHardDiskDrive',
  type: 'object[]',
  objectTypes: [DRIVE_TYPE],
  position: 0,
  pipelineByValue: true,
};

/** The written location, e.g. "SCSI 0:1", of a drive object or of -ControllerType/-Number/-Location. */
function locationOf(params: Bound): string {
  return `${toPsString(params.ControllerType)} ${toPsString(params.ControllerNumber)}:${toPsString(params.ControllerLocation)}`;
}

/** The drives a Set-/Remove- call names: objects from the pipeline, or a VM name and a location. */
function targetDrives(ctx: CmdletContext, params: Bound): { vm: VmSummary; location: string }[] {
  const objects = params.VMHardDiskDrive;
  if (objects !== undefined) {
    return (Array.isArray(objects) ? objects : [objects]).map((o: PsObject) => ({
      vm: ctx.host.getVm(toPsString(o.get('VMId')) as VmId),
      location: `${toPsString(o.get('ControllerType'))} ${toPsString(o.get('ControllerNumber'))}:${toPsString(o.get('ControllerLocation'))}`,
    }));
  }
  return vmsOf(ctx, params).map((vm) => ({ vm, location: locationOf(params) }));
}

function writeDrive(ctx: CmdletContext, vmId: VmId, location: string): void {
  const detail = ctx.host.getVm(vmId);
  const drive = detail.hardDrives.find((d) => d.controllerLocation === location);
  if (drive) ctx.write(driveObject(detail, drive, ctx.host.info().name));
}

const addDrive: CmdletDef = {
  name: 'Add-VMHardDiskDrive',
  className: cls('AddVMHardDiskDrive'),
  shouldProcess: true,
  // Microsoft's reference: [-VMName] <String[]> or [-VM] <VirtualMachine[]>, then
  // [[-ControllerType]] [[-ControllerNumber]] [[-ControllerLocation]] [[-Path]] at positions 1-4.
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'] },
    { name: 'VMObject', mandatory: ['VM'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, notNullOrEmpty: true },
    { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
    ...controllerParams,
    { name: 'Path', type: 'string', position: 4 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const path = params.Path;
    if (typeof path !== 'string') {
      // [B] our wording: Hyper-V would add an empty drive, which this host has no use for.
      throw new PsError(
        'Add-VMHardDiskDrive needs -Path on this host: it does not add empty drives.',
        {
          category: 'InvalidArgument',
          errorId: 'InvalidParameter',
          exceptionType: 'VirtualizationException',
          reach: 'statement',
        },
      );
    }
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      if (!(await ctx.shouldProcess(vm.name))) return;
      const before = new Set(ctx.host.getVm(vm.id).hardDrives.map((d) => d.controllerLocation));
      const after = await ctx.host.addHardDiskDrive(vm.id, {
        path,
        ...(typeof params.ControllerType === 'string'
          ? { controllerType: params.ControllerType as ControllerType }
          : {}),
        ...(typeof params.ControllerNumber === 'number'
          ? { controllerNumber: params.ControllerNumber }
          : {}),
        ...(typeof params.ControllerLocation === 'number'
          ? { controllerLocation: params.ControllerLocation }
          : {}),
      });
      const added = after.hardDrives.find((d) => !before.has(d.controllerLocation));
      if (params.Passthru === true && added) writeDrive(ctx, vm.id, added.controllerLocation);
    });
  },
};

/**
 * How Remove- and Set-VMHardDiskDrive name their drive (Microsoft's references for both):
 * [-VMHardDiskDrive] <HardDiskDrive[]> from the pipeline, or [-VMName] <String> with
 * -ControllerType, -ControllerNumber and -ControllerLocation, all required.
 */
const driveTargetSets: CmdletDef['parameterSets'] = [
  { name: 'Object', mandatory: ['VMHardDiskDrive'] },
  {
    name: 'VMName',
    mandatory: ['VMName', 'ControllerType', 'ControllerNumber', 'ControllerLocation'],
  },
];
const driveTargetParams: CmdletDef['params'] = [
  driveParam,
  { name: 'VMName', type: 'string[]', position: 0, notNullOrEmpty: true },
  ...controllerParams,
];

/** Remove-VMHardDiskDrive: detaches the drive; the disk file stays in the data folder. */
const removeDrive: CmdletDef = {
  name: 'Remove-VMHardDiskDrive',
  className: cls('RemoveVMHardDiskDrive'),
  shouldProcess: true,
  parameterSets: driveTargetSets,
  params: [...driveTargetParams, { name: 'Passthru', type: 'switch' }],
  async process(ctx, params) {
    await forEachTarget(ctx, targetDrives(ctx, params), async ({ vm, location }) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${location}`))) return;
      const detail = ctx.host.getVm(vm.id);
      const drive = detail.hardDrives.find((d) => d.controllerLocation === location);
      const object = drive ? driveObject(detail, drive, ctx.host.info().name) : null;
      await ctx.host.removeHardDiskDrive(vm.id, location);
      if (params.Passthru === true && object) ctx.write(object);
    });
  },
};

/** Set-VMHardDiskDrive -Path: the drive uses another disk file (moving drives is not offered). */
const setDrive: CmdletDef = {
  name: 'Set-VMHardDiskDrive',
  className: cls('SetVMHardDiskDrive'),
  shouldProcess: true,
  parameterSets: driveTargetSets,
  params: [
    ...driveTargetParams,
    { name: 'Path', type: 'string', position: 4 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetDrives(ctx, params), async ({ vm, location }) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${location}`))) return;
      if (typeof params.Path === 'string')
        await ctx.host.setHardDiskDrivePath(vm.id, location, params.Path);
      if (params.Passthru === true) writeDrive(ctx, vm.id, location);
    });
  },
};

export const vmHardDiskDriveCmdlets: CmdletDef[] = [addDrive, setDrive, removeDrive];
