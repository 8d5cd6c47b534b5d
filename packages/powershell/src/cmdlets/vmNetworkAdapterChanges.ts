/**
 * Add-, Remove- and Rename-VMNetworkAdapter over the engine's adapter operations
 * (`vm/networkAdapters.ts`: up to 8 synthetic and, on generation 1, 4 legacy adapters; a running
 * generation 2 VM takes a synthetic adapter hot). The engine's refusals come back as Hyper-V's
 * records, one per VM or adapter, and the cmdlet goes on with the rest (`forEachTarget`).
 */
import type { VmDetail } from '@hvm/engine';
import { toPsString } from '../runtime/values.js';
import { nameMatcher } from './objects.js';
import type { CmdletDef } from './types.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { vmNameOrVmParams } from './vmMemory.js';
import { switchNotFound } from './vmSwitch.js';
import {
  adapterObjectParam,
  networkAdapterObject,
  targetAdapters,
  writeAdapter,
} from './vmNetworkAdapter.js';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

/**
 * Add-VMNetworkAdapter (Microsoft's reference, hyper-v/Add-VMNetworkAdapter): [-VMName] <String[]>
 * or [-VM] <VirtualMachine[]> from the pipeline, [-SwitchName], [-IsLegacy <Boolean>], [-Name],
 * [-DynamicMacAddress], [-StaticMacAddress], [-Passthru]. The new adapter is "Network Adapter"
 * unless named (example 1: `-Name "Redmond NIC1"`), Not connected unless -SwitchName names a
 * switch (example 2). -ResourcePoolName and -DeviceNaming are not implemented.
 */
const addVmNetworkAdapter: CmdletDef = {
  name: 'Add-VMNetworkAdapter',
  className: cls('AddVMNetworkAdapter'),
  shouldProcess: true,
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'] },
    { name: 'VMObject', mandatory: ['VM'] },
  ],
  params: [
    ...vmNameOrVmParams,
    { name: 'SwitchName', type: 'string', notNullOrEmpty: true },
    { name: 'IsLegacy', type: 'bool' },
    { name: 'Name', type: 'string', aliases: ['VMNetworkAdapterName'], notNullOrEmpty: true },
    { name: 'DynamicMacAddress', type: 'switch' },
    { name: 'StaticMacAddress', type: 'string', notNullOrEmpty: true },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    let switchId: string | null = null;
    if (typeof params.SwitchName === 'string') {
      const match = nameMatcher(params.SwitchName);
      const found = ctx.host.listVirtualSwitches().find((s) => match(s.name));
      if (found === undefined) {
        ctx.writeError(switchNotFound(params.SwitchName));
        return;
      }
      switchId = found.id;
    }
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      if (!(await ctx.shouldProcess(vm.name))) return;
      const updated: VmDetail = await ctx.host.addNetworkAdapter(vm.id, {
        switchId,
        isLegacy: params.IsLegacy === true,
        ...(typeof params.Name === 'string' ? { name: params.Name } : {}),
        // -DynamicMacAddress is the default; -StaticMacAddress gives the adapter a fixed one.
        ...(typeof params.StaticMacAddress === 'string'
          ? { staticMacAddress: params.StaticMacAddress }
          : {}),
      });
      const added = updated.networkAdapters?.at(-1);
      if (params.Passthru === true && added !== undefined)
        ctx.write(networkAdapterObject(ctx, updated, added));
    });
  },
};

/**
 * Remove-VMNetworkAdapter (Microsoft's reference, hyper-v/Remove-VMNetworkAdapter): [-VMName]
 * <String[]> or [-VM] <VirtualMachine[]> with [-Name] (alias -VMNetworkAdapterName, its example 1),
 * or [-VMNetworkAdapter] objects from the pipeline; -Passthru writes the removed adapter. Without
 * -Name every adapter of the VM goes ([B] the reference does not say; read as Get-'s -Name).
 *
 * ConfirmImpact Medium: it asks only under -Confirm (or $ConfirmPreference Medium). [B] The
 * module's attribute is not published; unattended scripts, Microsoft's own Linux Integration
 * Services tests among them (NET-Verify-HotAdd-MultiNIC), call it with no -Confirm:$false and no
 * answer, which a High impact would stop at.
 */
const removeVmNetworkAdapter: CmdletDef = {
  name: 'Remove-VMNetworkAdapter',
  className: cls('RemoveVMNetworkAdapter'),
  shouldProcess: true,
  confirmImpact: 'Medium',
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'], members: ['Name'] },
    { name: 'VMObject', mandatory: ['VM'], members: ['Name'] },
    { name: 'ResourceObject', mandatory: ['VMNetworkAdapter'] },
  ],
  params: [
    ...vmNameOrVmParams,
    { name: 'Name', type: 'string', aliases: ['VMNetworkAdapterName'] },
    { ...adapterObjectParam, position: 0 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetAdapters(ctx, params), async ({ vm, adapter }) => {
      // [B] Hyper-V's What if text is not known; this names the VM and the adapter.
      const asked = await ctx.shouldProcess(`${vm.name}: ${adapter.name}`);
      if (!asked) return;
      const before = networkAdapterObject(ctx, vm, adapter);
      await ctx.host.removeNetworkAdapter(vm.id, adapter.id);
      if (params.Passthru === true) ctx.write(before);
    });
  },
};

/**
 * Rename-VMNetworkAdapter (Microsoft's reference, hyper-v/Rename-VMNetworkAdapter): [-VMName]
 * <String[]> or [-VM] with [-Name] <String> and [-NewName] <String>, or [-VMNetworkAdapter]
 * objects with [-NewName]; -Passthru.
 */
const renameVmNetworkAdapter: CmdletDef = {
  name: 'Rename-VMNetworkAdapter',
  className: cls('RenameVMNetworkAdapter'),
  shouldProcess: true,
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName', 'Name', 'NewName'] },
    { name: 'VMObject', mandatory: ['VM', 'Name', 'NewName'] },
    { name: 'Object', mandatory: ['VMNetworkAdapter', 'NewName'] },
  ],
  params: [
    ...vmNameOrVmParams,
    { name: 'Name', type: 'string', position: 1, aliases: ['VMNetworkAdapterName'] },
    { name: 'NewName', type: 'string', position: 2, notNullOrEmpty: true },
    { ...adapterObjectParam, position: 0 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const newName = toPsString(params.NewName);
    await forEachTarget(ctx, targetAdapters(ctx, params), async ({ vm, adapter }) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${adapter.name}`))) return;
      const updated = await ctx.host.renameNetworkAdapter(vm.id, adapter.id, newName);
      writeAdapter(ctx, params, updated, adapter.id);
    });
  },
};

export const vmNetworkAdapterChangeCmdlets: CmdletDef[] = [
  addVmNetworkAdapter,
  removeVmNetworkAdapter,
  renameVmNetworkAdapter,
];
