/**
 * Import-VM and Compare-VM over the engine's importer (`src/import/` of @hvm/engine).
 *
 * Microsoft's Import-VM reference: `[-Path] <String> [-Register]` registers in place (the default
 * without -Copy: "The virtual machine is registered in-place, so its files are not copied"),
 * `[-Path] <String> [[-VhdDestinationPath] <String>] -Copy [-VirtualMachinePath]
 * [-SnapshotFilePath] [-GenerateNewId]` copies the files ("-GenerateNewId: the imported virtual
 * machine will be given a new unique identifier"; without it the ID is kept: the wizard's
 * Restore), and `[-CompatibilityReport] <VMCompatibilityReport>` imports what Compare-VM checked.
 * Compare-VM -Path takes the same parameters and returns a VMCompatibilityReport whose
 * Incompatibilities each have Message, MessageId and Source (Compare-VM reference;
 * Microsoft.HyperV.PowerShell.VMCompatibilityReport / VMCompatibilityError).
 * -SmartPagingFilePath and -VhdSourcePath are not offered: this host has no smart paging file, and
 * an export names its disks itself.
 */
import type { ImportMode, ImportVmInput, VmCompatibilityReport } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import { VM_TYPE, vmObject } from './objects.js';
import type { Bound, CmdletDef, ParamDef } from './types.js';

export const COMPATIBILITY_REPORT_TYPE = 'Microsoft.HyperV.PowerShell.VMCompatibilityReport';
export const COMPATIBILITY_ERROR_TYPE = 'Microsoft.HyperV.PowerShell.VMCompatibilityError';

/** What a report object was made from, so that Import-VM -CompatibilityReport imports exactly that. */
const reportInputs = new WeakMap<PsObject, ImportVmInput>();

const pathParams: ParamDef[] = [
  { name: 'Path', type: 'string', position: 0, notNullOrEmpty: true },
  { name: 'VhdDestinationPath', type: 'string', position: 1 },
  { name: 'Register', type: 'switch' },
  { name: 'Copy', type: 'switch' },
  { name: 'GenerateNewId', type: 'switch' },
  { name: 'VirtualMachinePath', type: 'string' },
  { name: 'SnapshotFilePath', type: 'string' },
];

/** -Register, or -Copy with or without -GenerateNewId, as the engine's import type. */
function modeOf(params: Bound): ImportMode {
  if (params.Copy === true) return params.GenerateNewId === true ? 'copy' : 'restore';
  if (params.GenerateNewId === true) {
    // Hyper-V resolves no parameter set for -GenerateNewId without -Copy (a transcript of
    // `Import-VM -GenerateNewId -Register` gives "Parameter set cannot be resolved using the
    // specified named parameters.", pastebin.com/FCBz6g6x).
    throw new PsError('Parameter set cannot be resolved using the specified named parameters.', {
      category: 'InvalidArgument',
      errorId: 'AmbiguousParameterSet',
      exceptionType: 'ParameterBindingException',
    });
  }
  return 'register';
}

function importInput(params: Bound): ImportVmInput {
  const input: ImportVmInput = { path: String(params.Path), mode: modeOf(params) };
  if (typeof params.VhdDestinationPath === 'string')
    input.vhdDestinationPath = params.VhdDestinationPath;
  if (typeof params.VirtualMachinePath === 'string')
    input.virtualMachinePath = params.VirtualMachinePath;
  if (typeof params.SnapshotFilePath === 'string') input.snapshotFilePath = params.SnapshotFilePath;
  return input;
}

function reportObject(report: VmCompatibilityReport, input: ImportVmInput): PsObject {
  const object = new PsObject(COMPATIBILITY_REPORT_TYPE, {
    // The VM the import would create (Hyper-V gives a planned VirtualMachine here).
    VM: new PsObject(VM_TYPE, {
      Name: report.vm.name,
      Id: report.vm.id,
      VMName: report.vm.name,
      VMId: report.vm.id,
      State: report.vm.state,
    }),
    OperationType: 'ImportVirtualMachine',
    Path: report.path,
    SnapshotPath: input.snapshotFilePath ?? null,
    VhdDestinationPath: input.vhdDestinationPath ?? null,
    VhdSourcePath: null,
    Incompatibilities: report.incompatibilities.map(
      (item) =>
        new PsObject(COMPATIBILITY_ERROR_TYPE, {
          Message: item.message,
          MessageId: item.messageId,
          Source: item.source,
        }),
    ),
  });
  reportInputs.set(object, input);
  return object;
}

const importVm: CmdletDef = {
  name: 'Import-VM',
  className: 'Microsoft.HyperV.PowerShell.Commands.ImportVM',
  shouldProcess: true,
  parameterSets: [
    { name: 'Register', mandatory: ['Path'], members: ['Register'] },
    {
      name: 'Copy',
      mandatory: ['Path'],
      members: [
        'Copy',
        'GenerateNewId',
        'VhdDestinationPath',
        'VirtualMachinePath',
        'SnapshotFilePath',
      ],
    },
    { name: 'CompatibilityReport', mandatory: ['CompatibilityReport'] },
  ],
  params: [
    ...pathParams,
    {
      name: 'CompatibilityReport',
      type: 'object',
      objectTypes: [COMPATIBILITY_REPORT_TYPE],
      position: 0,
      pipelineByValue: true,
    },
  ],
  async process(ctx, params) {
    const report = params.CompatibilityReport;
    let input: ImportVmInput;
    if (report instanceof PsObject) {
      const recorded = reportInputs.get(report);
      if (recorded === undefined) {
        throw new PsError('The compatibility report was not made by Compare-VM in this session.', {
          category: 'InvalidArgument',
          errorId: 'InvalidParameter',
          exceptionType: 'VirtualizationException',
        });
      }
      input = recorded;
    } else {
      input = importInput(params);
    }
    if (!(await ctx.shouldProcess(input.path))) return;
    const vm = await ctx.host.importVm(input);
    ctx.write(vmObject(ctx.host, vm));
  },
};

const compareVm: CmdletDef = {
  name: 'Compare-VM',
  className: 'Microsoft.HyperV.PowerShell.Commands.CompareVM',
  parameterSets: [
    { name: 'Register', mandatory: ['Path'], members: ['Register'] },
    {
      name: 'Copy',
      mandatory: ['Path'],
      members: [
        'Copy',
        'GenerateNewId',
        'VhdDestinationPath',
        'VirtualMachinePath',
        'SnapshotFilePath',
      ],
    },
  ],
  params: pathParams,
  async process(ctx, params) {
    const input = importInput(params);
    const report = await ctx.host.compareVm({ path: input.path, mode: input.mode ?? 'register' });
    ctx.write(reportObject(report, input));
  },
};

export const importVmCmdlets: CmdletDef[] = [importVm, compareVm];
