/**
 * Convert-VHD and Optimize-VHD (Hyper-V's Microsoft.Vhd.PowerShell) over the engine's `.vhdx`
 * files. Which disks may be edited is the engine's rule (a running VM's disk: Windows' sharing
 * violation; a disk of a VM with checkpoints: refused). Paths are relative to the data folder.
 */
import type { VhdCompactMode } from '@hvm/engine';
import { PsError } from '../errors.js';
import { toPsString } from '../runtime/values.js';
import type { CmdletDef, ParamDef } from './types.js';
import { vhdObject } from './vhd.js';

const cls = (name: string): string => `Microsoft.Vhd.PowerShell.Cmdlets.${name}`;

const paths = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(toPsString);

/** VhdType's names (Microsoft's Convert-VHD reference: Unknown, Fixed, Dynamic, Differencing). */
const VHD_TYPES = ['Unknown', 'Fixed', 'Dynamic', 'Differencing'] as const;
/** VhdCompactMode's names (Microsoft's Optimize-VHD reference). */
const COMPACT_MODES: readonly VhdCompactMode[] = [
  'Full',
  'Quick',
  'Retrim',
  'Pretrimmed',
  'Prezeroed',
];

const passthru: ParamDef = { name: 'Passthru', type: 'switch' };

/**
 * Convert-VHD [-Path] <String> [-DestinationPath] <String> [-VHDType <VhdType>] [-DeleteSource]
 * [-Passthru] (Microsoft's reference): the source's data copied into a new disk; the source
 * stays unless -DeleteSource. -ParentPath (a differencing destination) and -BlockSizeBytes are
 * not supported here: the engine converts to Dynamic or Fixed, keeping the block size.
 */
const convertVhd: CmdletDef = {
  name: 'Convert-VHD',
  className: cls('ConvertVHD'),
  shouldProcess: true,
  parameterSets: [{ name: 'Default', mandatory: ['Path', 'DestinationPath'] }],
  params: [
    {
      name: 'Path',
      type: 'string',
      aliases: ['FullName'],
      position: 0,
      pipelineByValue: true,
      pipelineByPropertyName: true,
      notNullOrEmpty: true,
    },
    { name: 'DestinationPath', type: 'string', position: 1, notNullOrEmpty: true },
    {
      name: 'VHDType',
      type: 'enum',
      enumValues: VHD_TYPES,
      enumType: 'Microsoft.Vhd.PowerShell.VhdType',
    },
    { name: 'DeleteSource', type: 'switch' },
    passthru,
  ],
  async process(ctx, params) {
    const path = toPsString(params.Path);
    const destinationPath = toPsString(params.DestinationPath);
    if (!(await ctx.shouldProcess(path))) return;
    const type = typeof params.VHDType === 'string' ? params.VHDType : undefined;
    if (type === 'Differencing' || type === 'Unknown') {
      // Our words: this host converts to Dynamic or Fixed only (Hyper-V's text is not known).
      ctx.writeError(
        new PsError(
          `Converting '${path}' to a ${type} virtual hard disk is not supported on this host: use Dynamic or Fixed.`,
          {
            category: 'InvalidArgument',
            errorId: 'InvalidParameter',
            exceptionType: 'VirtualizationException',
          },
        ),
      );
      return;
    }
    const disk = await ctx.host.convertVirtualHardDisk({
      path,
      destinationPath,
      ...(type === 'Fixed' || type === 'Dynamic' ? { vhdType: type } : {}),
      deleteSource: params.DeleteSource === true,
    });
    if (params.Passthru === true) ctx.write(vhdObject(ctx.host, disk));
  },
};

/**
 * Optimize-VHD [-Path] <String[]> [-Mode <VhdCompactMode>] [-Passthru] (Microsoft's reference):
 * compacts dynamic and differencing disks; fixed ones are refused. The default mode of a VHDX is
 * Quick (the reference); Full and Prezeroed also drop the blocks that read as zeros.
 */
const optimizeVhd: CmdletDef = {
  name: 'Optimize-VHD',
  className: cls('OptimizeVHD'),
  shouldProcess: true,
  parameterSets: [{ name: 'Default', mandatory: ['Path'] }],
  params: [
    {
      name: 'Path',
      type: 'string[]',
      aliases: ['FullName'],
      position: 0,
      pipelineByValue: true,
      pipelineByPropertyName: true,
      notNullOrEmpty: true,
    },
    {
      name: 'Mode',
      type: 'enum',
      enumValues: COMPACT_MODES,
      enumType: 'Microsoft.Vhd.PowerShell.VhdCompactMode',
    },
    passthru,
  ],
  async process(ctx, params) {
    const mode = COMPACT_MODES.find((m) => m === params.Mode);
    for (const path of paths(params.Path)) {
      if (!(await ctx.shouldProcess(path))) continue;
      const disk = await ctx.host.optimizeVirtualHardDisk(
        mode === undefined ? { path } : { path, mode },
      );
      if (params.Passthru === true) ctx.write(vhdObject(ctx.host, disk));
    }
  },
};

export const vhdEditCmdlets: CmdletDef[] = [convertVhd, optimizeVhd];
