/** VM cmdlets: Get-VM, New-VM, Remove-VM, the state cmdlets and Set-VM. */
import type { VmAction, VmSettingsUpdate, VmSummary } from '@hvm/engine';
import { CheckpointType, ErrorCode, isEngineError } from '@hvm/engine';
import { PsError } from '../errors.js';
import { VM_TYPE, getVmNameNotFoundError, targetVms, vmObject } from './objects.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { newVm } from './newVm.js';
import { withReadAhead } from '../runtime/hostReadAhead.js';
import {
  applyHardware,
  hardwareUpdateOf,
  otherSettingsOf,
  setVmHardwareParams,
} from './setVmSettings.js';
import type {
  Bound,
  CmdletContext,
  CmdletDef,
  ParamDef,
  ParameterSetDef,
  ShouldProcessText,
} from './types.js';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

export const nameParams: ParamDef[] = [
  {
    name: 'Name',
    type: 'string[]',
    aliases: ['VMName'],
    position: 0,
    pipelineByValue: true,
    notNullOrEmpty: true,
  },
  { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
];

/**
 * The Name and VMObject sets of Start-VM, Stop-VM, Save-VM, Suspend-VM, Resume-VM, Restart-VM,
 * Remove-VM, Set-VM and Checkpoint-VM: `-Name` is `Required: True` in Name, `-VM` in VMObject
 * (Microsoft's Hyper-V cmdlet reference; behaviour spec R27).
 */
export const nameOrVmSets: ParameterSetDef[] = [
  { name: 'Name', mandatory: ['Name'] },
  { name: 'VMObject', mandatory: ['VM'] },
];

/** Writes the VM object when -Passthru is given. */
function passthru(ctx: CmdletContext, params: Bound, vm: VmSummary): void {
  if (params.Passthru === true) ctx.write(vmObject(ctx.host, ctx.host.getVm(vm.id)));
}

/**
 * What Start-VM, Save-VM, Suspend-VM, Resume-VM and Restart-VM ask and print. Restart-VM's question is
 * Microsoft's (Restart-VM reference, example 1); the others keep PowerShell's default
 * ("Performing the operation ...") since Hyper-V's own wording for them is not known here.
 */
function stateText(name: string, vm: VmSummary): ShouldProcessText {
  if (name === 'Restart-VM')
    return { warning: `Are you sure you want to restart virtual machine "${vm.name}"?` };
  return {};
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
    parameterSets: nameOrVmSets,
    params: [...nameParams, { name: 'Passthru', type: 'switch' }, ...extra],
    async process(ctx, params) {
      await forEachTarget(ctx, vmsOf(ctx, params, 'Name'), async (vm) => {
        if (vm.state === targetState && action !== 'reset') {
          ctx.writeWarning(`The virtual machine '${vm.name}' is already in the specified state.`);
          passthru(ctx, params, vm);
          return;
        }
        if (!(await ctx.shouldProcess(vm.name, stateText(name, vm)))) return;
        await ctx.host.changeVmState(vm.id, action);
        passthru(ctx, params, vm);
      });
    },
  };
}

/** Which Stop-VM this is: -TurnOff and -Save choose, otherwise a guest shutdown. */
function stopAction(params: Bound): 'turn-off' | 'save' | 'shut-down' {
  if (params.TurnOff === true) return 'turn-off';
  if (params.Save === true) return 'save';
  return 'shut-down';
}

/**
 * Stop-VM's ShouldProcess texts. The shutdown What if line is Hyper-V's (behaviour spec R28, [P]).
 * [B] unverified: the turn-off and save What if lines and the turn-off question are modelled on it
 * and on Restart-VM's documented "Are you sure you want to restart virtual machine ...?".
 */
function stopText(action: 'turn-off' | 'save' | 'shut-down', vm: VmSummary): ShouldProcessText {
  if (action === 'turn-off') {
    return {
      description: `Stop-VM will turn off the virtual machine "${vm.name}".`,
      warning: `Are you sure you want to turn off virtual machine "${vm.name}"?`,
      impact: 'High',
    };
  }
  if (action === 'save')
    return { description: `Stop-VM will save the virtual machine "${vm.name}".` };
  return { description: `Stop-VM will shut down the virtual machine "${vm.name}".` };
}

/**
 * Stop-VM: a guest shutdown (Medium impact, no question by default); turning off pulls the power and
 * can lose data (Stop-VM reference, example 3), so it is high-impact and asks first. A guest that
 * cannot shut down (no Shutdown integration service, nothing running to answer) is turned off only
 * after a second question, or at once with -Force (the guest "is shut down immediately", -Force in the
 * reference); -Confirm:$false answers that question Yes.
 */
const stopVm: CmdletDef = {
  name: 'Stop-VM',
  className: cls('StopVM'),
  shouldProcess: true,
  confirmImpact: 'Medium',
  parameterSets: nameOrVmSets,
  params: [
    ...nameParams,
    { name: 'Passthru', type: 'switch' },
    { name: 'Force', type: 'switch' },
    { name: 'TurnOff', type: 'switch' },
    { name: 'Save', type: 'switch' },
  ],
  async process(ctx, params) {
    const action = stopAction(params);
    const wanted = action === 'save' ? 'Saved' : 'Off';
    await forEachTarget(ctx, vmsOf(ctx, params, 'Name'), async (vm) => {
      if (vm.state === wanted) {
        ctx.writeWarning(`The virtual machine '${vm.name}' is already in the specified state.`);
        passthru(ctx, params, vm);
        return;
      }
      if (!(await ctx.shouldProcess(vm.name, stopText(action, vm)))) return;
      try {
        await ctx.host.changeVmState(vm.id, action);
      } catch (error) {
        // The engine refuses a shutdown before it changes anything; the VM is still running.
        if (action !== 'shut-down' || !isEngineError(error, ErrorCode.InvalidState)) throw error;
        if (ctx.host.getVm(vm.id).state !== 'Running') throw error;
        const turnOff =
          params.Force === true ||
          (await ctx.shouldProcess(vm.name, {
            // [B] our wording: the engine's reason, then the turn-off question above.
            description: `Stop-VM will turn off the virtual machine "${vm.name}".`,
            warning: `${error.message}\nAre you sure you want to turn off virtual machine "${vm.name}"?`,
            impact: 'High',
          }));
        if (!turnOff) return;
        await ctx.host.changeVmState(vm.id, 'turn-off');
      }
      passthru(ctx, params, vm);
    });
  },
};

/** Names compared as `localeCompare(b, 'en', { sensitivity: 'base' })` does, built once. */
const byName = new Intl.Collator('en', { sensitivity: 'base' }).compare;

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
    const found = targetVms(ctx.host, params, 'Name', (name) =>
      ctx.writeError(getVmNameNotFoundError(name)),
    );
    const vms = [...found].sort((a, b) => byName(a.name, b.name));
    const computerName = vms.length === 0 ? '' : ctx.host.info().name;
    // Each VM's details, read ahead in one go where the host can (runtime/hostReadAhead.ts).
    return withReadAhead(
      ctx.host,
      vms,
      (window) => window.map((vm) => ({ method: 'getVm', args: [vm.id] })),
      (vm) => ctx.write(vmObject(ctx.host, vm, computerName)),
    );
  },
};

const removeVm: CmdletDef = {
  name: 'Remove-VM',
  className: cls('RemoveVM'),
  shouldProcess: true,
  confirmImpact: 'High',
  parameterSets: nameOrVmSets,
  params: [...nameParams, { name: 'Force', type: 'switch' }, { name: 'Passthru', type: 'switch' }],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params, 'Name'), async (vm) => {
      const asked = await ctx.shouldProcess(vm.name, {
        // [B] unverified What if wording, in the style of Restore-VMSnapshot's (spec R28).
        description: `Remove-VM will remove virtual machine "${vm.name}".`,
        // Microsoft's Remove-VM reference, example 1.
        warning: `Are you sure you want to remove virtual machine "${vm.name}"?`,
      });
      if (!asked) return;
      const object = params.Passthru === true ? vmObject(ctx.host, vm) : null;
      await ctx.host.deleteVm(vm.id);
      if (object) ctx.write(object);
    });
  },
};

const checkpointTypes = Object.values(CheckpointType);

const setVm: CmdletDef = {
  name: 'Set-VM',
  className: cls('SetVM'),
  shouldProcess: true,
  parameterSets: nameOrVmSets,
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
    ...setVmHardwareParams,
  ],
  async process(ctx, params) {
    const update: VmSettingsUpdate = otherSettingsOf(params);
    const type = params.CheckpointType;
    if (typeof type === 'string') update.checkpointType = type as CheckpointType;
    if (typeof params.SnapshotFileLocation === 'string')
      update.snapshotFileLocation = params.SnapshotFileLocation;
    if (typeof params.AutomaticCheckpointsEnabled === 'boolean')
      update.automaticCheckpointsEnabled = params.AutomaticCheckpointsEnabled;
    if (typeof params.NewVMName === 'string') update.name = params.NewVMName;
    await forEachTarget(ctx, vmsOf(ctx, params, 'Name'), async (vm) => {
      const hardware = hardwareUpdateOf(vm, params);
      if (!(await ctx.shouldProcess(vm.name))) return;
      await applyHardware(ctx, vm, hardware);
      if (Object.keys(update).length > 0) await ctx.host.updateVmSettings(vm.id, update);
      passthru(ctx, params, vm);
    });
  },
};

export const vmCmdlets: CmdletDef[] = [
  getVm,
  newVm,
  removeVm,
  setVm,
  stateCmdlet('Start-VM', 'start', 'Running'),
  stopVm,
  stateCmdlet('Save-VM', 'save', 'Saved'),
  stateCmdlet('Suspend-VM', 'pause', 'Paused'),
  stateCmdlet('Resume-VM', 'resume', 'Running'),
  stateCmdlet('Restart-VM', 'reset', 'Running', [{ name: 'Force', type: 'switch' }], 'High'),
];
