/**
 * The virtual hard disk cmdlets (Hyper-V's Microsoft.Vhd.PowerShell): Get-VHD, New-VHD, Test-VHD,
 * Merge-VHD and Resize-VHD over the engine's real `.vhdx` files; Mount-VHD answers what this host
 * cannot do. Paths are relative to the host's data folder, confined to it as the other file
 * cmdlets' paths are.
 */
import type { DiskFileInfo, Host } from '@hvm/engine';
import { EngineError, ErrorCode } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject, toPsString } from '../runtime/values.js';
import type { CmdletContext, CmdletDef, ParamDef } from './types.js';

export const VHD_TYPE = 'Microsoft.Vhd.PowerShell.VirtualHardDisk';
const cls = (name: string): string => `Microsoft.Vhd.PowerShell.Cmdlets.${name}`;

/** Get-VHD's object, its properties in the order Get-VHD lists them. */
export function vhdObject(host: Host, disk: DiskFileInfo): PsObject {
  const running = new Set(
    host
      .listVms()
      .filter((vm) => vm.state === 'Running' || vm.state === 'Paused')
      .map((vm) => vm.id),
  );
  return new PsObject(VHD_TYPE, {
    ComputerName: host.info().name,
    Path: disk.path,
    VhdFormat: disk.format,
    VhdType: disk.type,
    FileSize: disk.fileSizeBytes,
    Size: disk.virtualSizeBytes,
    // [B] Hyper-V computes the smallest size a VHDX can shrink to from the partitions on it; this
    // host does not read the guest's partitions, so it reports none (as for a disk without any).
    MinimumSize: null,
    LogicalSectorSize: disk.logicalSectorSize,
    PhysicalSectorSize: disk.physicalSectorSize,
    BlockSize: disk.type === 'Fixed' ? 0 : disk.blockSizeBytes,
    ParentPath: disk.parentPath ?? '',
    DiskIdentifier: disk.virtualDiskId.toUpperCase(),
    // [B] not measured: the files are sparse and written in block order.
    FragmentationPercentage: disk.type === 'Differencing' ? null : 0,
    Alignment: 1,
    Attached: disk.usedBy.some((u) => u.role === 'Now' && running.has(u.vmId)),
    DiskNumber: null,
    IsPMEMCompatible: false,
    AddressAbstractionType: 'None',
    Number: null,
  });
}

/**
 * A path that is not there: Hyper-V's first line for Get-VHD ("Getting the mounted storage
 * instance for the path '<path>' failed."), then Windows' words for the missing file.
 */
function vhdNotFound(path: string): PsError {
  return new PsError(
    `Getting the mounted storage instance for the path '${path}' failed.\nThe system cannot find the file specified.`,
    {
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      exceptionType: 'VirtualizationException',
    },
  );
}

async function inspect(ctx: CmdletContext, path: string): Promise<DiskFileInfo | null> {
  try {
    return await ctx.host.inspectDisk(path);
  } catch (error) {
    if (error instanceof EngineError && error.code === ErrorCode.NotFound) {
      ctx.writeError(vhdNotFound(path));
      return null;
    }
    throw error;
  }
}

const pathParam: ParamDef = {
  name: 'Path',
  type: 'string[]',
  aliases: ['FullName'],
  position: 0,
  pipelineByValue: true,
  pipelineByPropertyName: true,
  notNullOrEmpty: true,
};

const paths = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(toPsString);

const getVhd: CmdletDef = {
  name: 'Get-VHD',
  className: cls('GetVHD'),
  // Microsoft's Get-VHD reference: [-Path] <String[]> (alias FullName, from the pipeline by value and
  // property name), or -VMId <Guid[]> for every disk of a VM (the Disk set is not implemented).
  parameterSets: [
    { name: 'Path', mandatory: ['Path'] },
    { name: 'VMId', mandatory: ['VMId'] },
  ],
  params: [pathParam, { name: 'VMId', type: 'string[]', pipelineByPropertyName: true }],
  async process(ctx, params) {
    const wanted = paths(params.Path);
    // Path and VMId are different sets: an object with both (a hard disk drive) binds Path.
    for (const id of wanted.length > 0 ? [] : paths(params.VMId)) {
      const vm = ctx.host.listVms().find((v) => v.id.toLowerCase() === id.toLowerCase());
      if (vm) for (const drive of ctx.host.getVm(vm.id).hardDrives) wanted.push(drive.path);
    }
    for (const path of wanted) {
      const disk = await inspect(ctx, path);
      if (disk) ctx.write(vhdObject(ctx.host, disk));
    }
  },
};

/** New-VHD: -Dynamic (the default) or -Fixed of -SizeBytes, or -Differencing of -ParentPath. */
const newVhd: CmdletDef = {
  name: 'New-VHD',
  className: cls('NewVHD'),
  shouldProcess: true,
  // Microsoft's New-VHD reference: SizeBytes is required with -Dynamic and -Fixed, ParentPath with
  // -Differencing; -Path in every set.
  parameterSets: [
    { name: 'DynamicWithoutSource', mandatory: ['Path', 'SizeBytes'], members: ['Dynamic'] },
    { name: 'FixedWithoutSource', mandatory: ['Path', 'SizeBytes', 'Fixed'] },
    { name: 'Differencing', mandatory: ['Path', 'ParentPath'], members: ['Differencing'] },
  ],
  params: [
    { name: 'Path', type: 'string[]', position: 0, notNullOrEmpty: true },
    { name: 'SizeBytes', type: 'int', netType: 'System.UInt64', position: 1 },
    { name: 'ParentPath', type: 'string', position: 1 },
    { name: 'Dynamic', type: 'switch' },
    { name: 'Fixed', type: 'switch' },
    { name: 'Differencing', type: 'switch' },
  ],
  async process(ctx, params) {
    const parent = typeof params.ParentPath === 'string' ? params.ParentPath : undefined;
    for (const path of paths(params.Path)) {
      if (!(await ctx.shouldProcess(path))) continue;
      const disk = await ctx.host.createVirtualHardDisk(
        parent === undefined
          ? { path, sizeBytes: Number(params.SizeBytes), fixed: params.Fixed === true }
          : { path, parentPath: parent },
      );
      ctx.write(vhdObject(ctx.host, disk));
    }
  },
};

/** Test-VHD: True when the file and its whole chain open as VHDX, False (and the reason) otherwise. */
const testVhd: CmdletDef = {
  name: 'Test-VHD',
  className: cls('TestVHD'),
  parameterSets: [{ name: 'Path', mandatory: ['Path'] }],
  params: [pathParam],
  async process(ctx, params) {
    for (const path of paths(params.Path)) {
      try {
        await ctx.host.inspectDisk(path);
        ctx.write(true);
      } catch (error) {
        if (error instanceof EngineError && error.code === ErrorCode.CorruptDisk) {
          ctx.writeError(
            new PsError(error.message, {
              category: 'InvalidData',
              errorId: 'InvalidData',
              exceptionType: 'VirtualizationException',
            }),
          );
          ctx.write(false);
        } else if (error instanceof EngineError && error.code === ErrorCode.NotFound) {
          ctx.writeError(vhdNotFound(path));
        } else throw error;
      }
    }
  },
};

/**
 * Merge-VHD: folds a differencing disk into its parent (or an ancestor, -DestinationPath); the
 * merged files go. Offline only: a disk a VM or checkpoint uses is refused (spec §5).
 */
const mergeVhd: CmdletDef = {
  name: 'Merge-VHD',
  className: cls('MergeVHD'),
  shouldProcess: true,
  parameterSets: [{ name: 'Path', mandatory: ['Path'] }],
  params: [
    {
      name: 'Path',
      type: 'string',
      aliases: ['FullName'],
      position: 0,
      pipelineByPropertyName: true,
      notNullOrEmpty: true,
    },
    { name: 'DestinationPath', type: 'string', position: 1 },
    { name: 'Force', type: 'switch' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const path = toPsString(params.Path);
    if (!(await ctx.shouldProcess(path))) return;
    const destination =
      typeof params.DestinationPath === 'string' ? params.DestinationPath : undefined;
    const merged = await ctx.host.mergeVirtualHardDisk(
      destination === undefined ? { path } : { path, destinationPath: destination },
    );
    if (params.Passthru === true) ctx.write(vhdObject(ctx.host, merged));
  },
};

/**
 * Mount-VHD attaches a disk to the host's own Windows disk stack (Mount-VHD reference), which this
 * host does not have. The first two lines are Hyper-V's failure (dsccommunity/NetworkingDsc#312);
 * the third, why, is ours.
 */
const mountVhd: CmdletDef = {
  name: 'Mount-VHD',
  className: cls('MountVHD'),
  shouldProcess: true,
  parameterSets: [{ name: 'Path', mandatory: ['Path'] }],
  params: [
    pathParam,
    { name: 'ReadOnly', type: 'switch' },
    { name: 'NoDriveLetter', type: 'switch' },
    { name: 'Passthru', type: 'switch' },
  ],
  process(ctx, params) {
    for (const path of paths(params.Path)) {
      ctx.writeError(
        new PsError(
          [
            'Failed to mount the virtual disk.',
            '',
            `The system failed to mount '${path}'.`,
            'This host has no Windows disk stack to attach a virtual hard disk to: read it with Get-VHD, or with Inspect Disk in the console.',
          ].join('\n'),
          {
            category: 'NotSpecified',
            errorId: 'OperationFailed',
            exceptionType: 'VirtualizationException',
          },
        ),
      );
    }
    return Promise.resolve();
  },
};

/**
 * Resize-VHD: -SizeBytes grows or shrinks a dynamic or differencing disk no VM uses;
 * -ToMinimumSize shrinks it to the end of its last block holding data (Get-VHD's MinimumSize).
 */
const resizeVhd: CmdletDef = {
  name: 'Resize-VHD',
  className: cls('ResizeVHD'),
  shouldProcess: true,
  // Microsoft's Resize-VHD reference: [-Path] <String[]> with -SizeBytes, or -ToMinimumSize.
  parameterSets: [
    { name: 'Size', mandatory: ['Path', 'SizeBytes'] },
    { name: 'MinimumSize', mandatory: ['Path', 'ToMinimumSize'] },
  ],
  params: [
    pathParam,
    { name: 'SizeBytes', type: 'int', netType: 'System.UInt64', position: 1 },
    { name: 'ToMinimumSize', type: 'switch' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const toMinimum = params.ToMinimumSize === true;
    for (const path of paths(params.Path)) {
      if (!(await ctx.shouldProcess(path))) continue;
      const disk = await ctx.host.resizeVirtualHardDisk(
        toMinimum ? { path, toMinimumSize: true } : { path, sizeBytes: Number(params.SizeBytes) },
      );
      if (params.Passthru === true) ctx.write(vhdObject(ctx.host, disk));
    }
  },
};

export const vhdCmdlets: CmdletDef[] = [getVhd, newVhd, testVhd, mergeVhd, mountVhd, resizeVhd];
