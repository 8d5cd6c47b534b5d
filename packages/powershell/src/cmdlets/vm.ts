/** VM cmdlets: Get-VM, New-VM, Remove-VM, the state cmdlets and Set-VM. */
import type { VmAction, VmSettingsUpdate, VmSummary } from '@hvm/engine';
import { CheckpointType, isEngineError } from '@hvm/engine';
import { PsError } from '../errors.js';
import { toPsString } from '../runtime/values.js';
import { VM_TYPE, targetVms, vmNotFoundError, vmObject } from './objects.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';

const MB = 1024 * 1024;
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

export const nameParams: ParamDef[] = [
  { name: 'Name', type: 'string[]', aliases: ['VMName'], position: 0, pipelineByValue: true },
  { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
];

function vmsOf(ctx: CmdletContext, params: Bound): VmSummary[] {
  return targetVms(ctx.host, params, 'Name', (name) => ctx.writeError(vmNotFoundError(name)));
}

/** Writes the VM object when -Passthru is given. */
function passthru(ctx: CmdletContext, params: Bound, vm: VmSummary): void {
  if (params.Passthru === true) ctx.write(vmObject(ctx.host, ctx.host.getVm(vm.id)));
}

function stateCmdlet(
  name: string,
  action: VmAction,
  targetState: string,
  extra: ParamDef[] = [],
  confirmImpact: 'High' | 'Medium' = 'Medium',
): CmdletDef {
  return {
    name,
    className: cls(name.replace('-', '')),
    shouldProcess: true,
    confirmImpact,
    params: [...nameParams, { name: 'Passthru', type: 'switch' }, ...extra],
    async process(ctx, params) {
      for (const vm of vmsOf(ctx, params)) {
        let chosen: VmAction = action;
        if (name === 'Stop-VM') {
          if (params.TurnOff === true) chosen = 'turn-off';
          else if (params.Save === true) chosen = 'save';
        }
        const wanted =
          chosen === 'turn-off' || chosen === 'shut-down'
            ? 'Off'
            : chosen === 'save'
              ? 'Saved'
              : targetState;
        if (vm.state === wanted && chosen !== 'reset') {
          ctx.writeWarning(`The virtual machine '${vm.name}' is already in the specified state.`);
          passthru(ctx, params, vm);
          continue;
        }
        if (!ctx.shouldProcess(vm.name)) continue;
        try {
          await ctx.host.changeVmState(vm.id, chosen);
        } catch (error) {
          // Stop-VM -Force: if the guest does not shut down, power the VM off.
          if (chosen === 'shut-down' && params.Force === true && isEngineError(error)) {
            await ctx.host.changeVmState(vm.id, 'turn-off');
          } else throw error;
        }
        passthru(ctx, params, vm);
      }
    },
  };
}

const getVm: CmdletDef = {
  name: 'Get-VM',
  className: cls('GetVM'),
  params: [
    { name: 'Name', type: 'string[]', aliases: ['VMName'], position: 0, pipelineByValue: true },
    { name: 'Id', type: 'string', aliases: ['VMId'] },
  ],
  process(ctx, params) {
    const id = params.Id;
    if (typeof id === 'string') {
      const vm = ctx.host.listVms().find((v) => v.id.toLowerCase() === id.toLowerCase());
      if (vm) ctx.write(vmObject(ctx.host, vm));
      else
        ctx.writeError(
          new PsError(`Hyper-V was unable to find a virtual machine with id "${id}".`, {
            category: 'ObjectNotFound',
            errorId: 'ObjectNotFound',
            exceptionType: 'VirtualizationException',
          }),
        );
      return Promise.resolve();
    }
    // Get-VM lists VMs in name order.
    const vms = [...vmsOf(ctx, params)].sort((a, b) =>
      a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }),
    );
    for (const vm of vms) ctx.write(vmObject(ctx.host, vm));
    return Promise.resolve();
  },
};

const newVm: CmdletDef = {
  name: 'New-VM',
  className: cls('NewVM'),
  shouldProcess: true,
  params: [
    { name: 'Name', type: 'string', aliases: ['VMName'], position: 0 },
    { name: 'MemoryStartupBytes', type: 'int', position: 1 },
    { name: 'Generation', type: 'int', netType: 'System.Int16', position: 2 },
    { name: 'NewVHDSizeBytes', type: 'int', netType: 'System.UInt64' },
    { name: 'NewVHDPath', type: 'string' },
    { name: 'NoVHD', type: 'switch' },
    { name: 'GuestImage', type: 'string' },
  ],
  async process(ctx, params) {
    const name = typeof params.Name === 'string' ? params.Name : 'New Virtual Machine';
    for (const unsupported of ['NewVHDPath', 'NoVHD'] as const) {
      if (unsupported in params) {
        throw new PsError(
          `New-VM: -${unsupported} is not supported by this host; it always creates a new dynamic VHDX.`,
          {
            category: 'NotImplemented',
            errorId: 'NotSupported',
            exceptionType: 'VirtualizationException',
          },
        );
      }
    }
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
    if (!ctx.shouldProcess(name)) return;
    const memory = params.MemoryStartupBytes;
    const size = params.NewVHDSizeBytes;
    const guestImage = params.GuestImage;
    const vm = await ctx.host.createVm({
      name,
      ...(generation === 1 || generation === 2 ? { generation } : {}),
      ...(typeof memory === 'number' ? { memoryStartupMB: Math.round(memory / MB) } : {}),
      ...(typeof size === 'number' ? { diskSizeBytes: size } : {}),
      ...(typeof guestImage === 'string' ? { guestImage } : {}),
    });
    ctx.write(vmObject(ctx.host, vm));
  },
};

const removeVm: CmdletDef = {
  name: 'Remove-VM',
  className: cls('RemoveVM'),
  shouldProcess: true,
  confirmImpact: 'High',
  params: [...nameParams, { name: 'Force', type: 'switch' }, { name: 'Passthru', type: 'switch' }],
  async process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) {
      if (!ctx.shouldProcess(vm.name, `Remove virtual machine "${vm.name}"?`)) continue;
      const object = params.Passthru === true ? vmObject(ctx.host, vm) : null;
      await ctx.host.deleteVm(vm.id);
      if (object) ctx.write(object);
    }
  },
};

const checkpointTypes = Object.values(CheckpointType);

const setVm: CmdletDef = {
  name: 'Set-VM',
  className: cls('SetVM'),
  shouldProcess: true,
  params: [
    ...nameParams,
    {
      name: 'CheckpointType',
      type: 'enum',
      enumValues: checkpointTypes,
      enumType: 'Microsoft.HyperV.PowerShell.CheckpointType',
    },
    { name: 'SnapshotFileLocation', type: 'string', aliases: ['CheckpointFileLocation'] },
    { name: 'AutomaticCheckpointsEnabled', type: 'bool' },
    { name: 'MemoryStartupBytes', type: 'int' },
    { name: 'NewVMName', type: 'string' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const update: VmSettingsUpdate = {};
    const type = params.CheckpointType;
    if (typeof type === 'string') update.checkpointType = type as CheckpointType;
    if (typeof params.SnapshotFileLocation === 'string')
      update.snapshotFileLocation = params.SnapshotFileLocation;
    if (typeof params.AutomaticCheckpointsEnabled === 'boolean')
      update.automaticCheckpointsEnabled = params.AutomaticCheckpointsEnabled;
    if (typeof params.MemoryStartupBytes === 'number')
      update.memoryStartupMB = Math.round(params.MemoryStartupBytes / MB);
    if (typeof params.NewVMName === 'string') update.name = params.NewVMName;
    for (const vm of vmsOf(ctx, params)) {
      if (!ctx.shouldProcess(vm.name)) continue;
      if (Object.keys(update).length > 0) await ctx.host.updateVmSettings(vm.id, update);
      passthru(ctx, params, vm);
    }
  },
};

export const vmCmdlets: CmdletDef[] = [
  getVm,
  newVm,
  removeVm,
  setVm,
  stateCmdlet('Start-VM', 'start', 'Running'),
  stateCmdlet('Stop-VM', 'shut-down', 'Off', [
    { name: 'Force', type: 'switch' },
    { name: 'TurnOff', type: 'switch' },
    { name: 'Save', type: 'switch' },
  ]),
  stateCmdlet('Save-VM', 'save', 'Saved'),
  stateCmdlet('Suspend-VM', 'pause', 'Paused'),
  stateCmdlet('Resume-VM', 'resume', 'Running'),
  stateCmdlet('Restart-VM', 'reset', 'Running', [{ name: 'Force', type: 'switch' }], 'High'),
];
