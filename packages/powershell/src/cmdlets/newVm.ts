/**
 * New-VM with Microsoft's three parameter sets (New-VM reference, "SYNTAX"):
 * - No VHD (Default): `[-NoVHD]`;
 * - New VHD: `-NewVHDPath <String> -NewVHDSizeBytes <UInt64>`, both `Required: True`;
 * - Existing VHD: `-VHDPath <String>`, `Required: True`.
 * Parameters of two sets at once leave PowerShell no set to choose: "Parameter set cannot be
 * resolved using the specified named parameters." (ParameterBinderStrings AmbiguousParameterSet).
 *
 * Two differences of this host, kept so that scripts written for it go on working: without any
 * disk parameter New-VM still creates a new dynamic `<Name>.vhdx` of 127 GB in the host's
 * VirtualHardDiskPath (Hyper-V's No VHD set creates none; here -NoVHD says so), and
 * -NewVHDSizeBytes alone sizes that default disk. -GuestImage (this host's own) installs a guest
 * on the new disk. Paths are relative to the host's data folder, or absolute inside it.
 */
import type { CreateVmInput } from '@hvm/engine';
import { PsError, missingMandatoryParameters } from '../errors.js';
import { toPsString } from '../runtime/values.js';
import { vmObject } from './objects.js';
import type { Bound, CmdletDef } from './types.js';

const MB = 1024 * 1024;

function ambiguousParameterSet(): PsError {
  return new PsError('Parameter set cannot be resolved using the specified named parameters.', {
    category: 'InvalidArgument',
    errorId: 'AmbiguousParameterSet',
    exceptionType: 'ParameterBindingException',
    reach: 'statement',
  });
}

/** The disk part of the engine's input, by parameter set. */
function diskChoice(params: Bound): Partial<CreateVmInput> {
  const newSet = 'NewVHDPath' in params;
  const existingSet = 'VHDPath' in params;
  const noVhd = params.NoVHD === true;
  const sized = typeof params.NewVHDSizeBytes === 'number';
  if (Number(newSet) + Number(existingSet) + Number(noVhd) > 1) throw ambiguousParameterSet();
  if ((existingSet || noVhd) && (sized || 'GuestImage' in params)) throw ambiguousParameterSet();
  if (existingSet) return { vhdPath: toPsString(params.VHDPath) };
  if (noVhd) return { noVhd: true };
  if (newSet && !sized) throw missingMandatoryParameters(['NewVHDSizeBytes']);
  return {
    ...(newSet ? { newVhdPath: toPsString(params.NewVHDPath) } : {}),
    ...(sized ? { diskSizeBytes: params.NewVHDSizeBytes as number } : {}),
  };
}

export const newVm: CmdletDef = {
  name: 'New-VM',
  className: 'Microsoft.HyperV.PowerShell.Commands.NewVM',
  shouldProcess: true,
  params: [
    { name: 'Name', type: 'string', aliases: ['VMName'], position: 0 },
    { name: 'MemoryStartupBytes', type: 'int', position: 1 },
    { name: 'Generation', type: 'int', netType: 'System.Int16', position: 2 },
    { name: 'NewVHDSizeBytes', type: 'int', netType: 'System.UInt64' },
    { name: 'NewVHDPath', type: 'string', notNullOrEmpty: true },
    { name: 'VHDPath', type: 'string', notNullOrEmpty: true },
    { name: 'NoVHD', type: 'switch' },
    { name: 'GuestImage', type: 'string' },
  ],
  async process(ctx, params) {
    const name = typeof params.Name === 'string' ? params.Name : 'New Virtual Machine';
    const disk = diskChoice(params);
    const generation = params.Generation;
    if (generation !== undefined && generation !== 1 && generation !== 2) {
      throw new PsError(
        `Cannot validate argument on parameter 'Generation'. The ${toPsString(generation)} argument is not in the valid range 1..2.`,
        {
          category: 'InvalidData',
          errorId: 'ParameterArgumentValidationError',
          exceptionType: 'ParameterBindingValidationException',
          reach: 'statement',
        },
      );
    }
    if (!(await ctx.shouldProcess(name))) return;
    const memory = params.MemoryStartupBytes;
    const guestImage = params.GuestImage;
    const vm = await ctx.host.createVm({
      name,
      ...(generation === 1 || generation === 2 ? { generation } : {}),
      ...(typeof memory === 'number' ? { memoryStartupMB: Math.round(memory / MB) } : {}),
      ...disk,
      ...(typeof guestImage === 'string' ? { guestImage } : {}),
    });
    ctx.write(vmObject(ctx.host, vm));
  },
};
