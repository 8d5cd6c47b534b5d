/**
 * Export-VM over the engine's export: the VM as it is now (a running VM live, as a checkpoint
 * froze it), with its checkpoints and
 * disk chain as they are, to `<Path>/<VM name>/` in Hyper-V's export layout (`Virtual Machines`,
 * `Snapshots`, `Virtual Hard Disks`). Like Hyper-V without -AsJob, the cmdlet returns once the
 * export has finished. Import-VM and Compare-VM read such an export (`importVm.ts`).
 */
import { PsError } from '../errors.js';
import { waitForTask } from './checkpoint.js';
import { VM_TYPE, vmObject } from './objects.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { CmdletDef } from './types.js';

const exportVm: CmdletDef = {
  name: 'Export-VM',
  className: 'Microsoft.HyperV.PowerShell.Commands.ExportVM',
  shouldProcess: true,
  // Microsoft's Export-VM reference: [-Name] <String[]> [-Path] <String>, or [-VM] <VirtualMachine[]>
  // [-Path] <String>; -Path is required in both.
  parameterSets: [
    { name: 'Name', mandatory: ['Name', 'Path'] },
    { name: 'VMObject', mandatory: ['VM', 'Path'] },
  ],
  params: [
    { name: 'Name', type: 'string[]', aliases: ['VMName'], position: 0, notNullOrEmpty: true },
    { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
    { name: 'Path', type: 'string', position: 1 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const path = params.Path;
    if (typeof path !== 'string') return; // mandatory: bound before the cmdlet runs
    await forEachTarget(ctx, vmsOf(ctx, params, 'Name'), async (vm) => {
      if (!(await ctx.shouldProcess(vm.name))) return;
      const task = await ctx.host.exportVm(vm.id, { path });
      const done = await waitForTask(ctx, task.id);
      if (done.status === 'Failed') {
        throw new PsError(done.error?.message ?? `Failed to export virtual machine '${vm.name}'.`, {
          category: 'NotSpecified',
          errorId: 'OperationFailed',
          exceptionType: 'VirtualizationException',
        });
      }
      if (params.Passthru === true) ctx.write(vmObject(ctx.host, ctx.host.getVm(vm.id)));
    });
  },
};

export const vmExportCmdlets: CmdletDef[] = [exportVm];
