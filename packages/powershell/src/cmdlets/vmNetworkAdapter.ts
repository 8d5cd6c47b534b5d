/**
 * Get-, Connect- and Disconnect-VMNetworkAdapter over a VM's network adapters (the engine's
 * `vm/networkAdapters.ts`): each adapter its own object, connected to a virtual switch or "Not
 * connected". Add-, Remove- and Rename- live in `vmNetworkAdapterChanges.ts`. What is simulated:
 * the dynamic MAC address (from Hyper-V's 00-15-5D range, fixed per adapter, made by the engine),
 * the status, and the addresses a simulated running guest reports (a real guest's are its own).
 */
import { adapterIpAddresses } from '@hvm/contracts';
import type { NetworkAdapter, VmDetail, VmId } from '@hvm/engine';
import { PsObject, toPsString } from '../runtime/values.js';
import { nameMatcher } from './objects.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { DEFAULT_SWITCH, VM_SWITCH_TYPE, switchNotFound } from './vmSwitch.js';

export const VM_NETWORK_ADAPTER_TYPE = 'Microsoft.HyperV.PowerShell.VMNetworkAdapter';

/** The VM's adapters as the engine reports them (a VM from an older engine: one, on the Default Switch). */
export function adaptersOf(vm: VmDetail): NetworkAdapter[] {
  return (
    vm.networkAdapters ?? [
      {
        id: vm.id,
        name: 'Network Adapter',
        isLegacy: false,
        switchId: DEFAULT_SWITCH.id,
        switchName: DEFAULT_SWITCH.name,
        macAddress: '00155D000000',
        dynamicMacAddressEnabled: true,
      },
    ]
  );
}

export function networkAdapterObject(
  ctx: CmdletContext,
  vm: VmDetail,
  adapter: NetworkAdapter,
): PsObject {
  const running = vm.state === 'Running' || vm.state === 'Paused';
  return new PsObject(VM_NETWORK_ADAPTER_TYPE, {
    Name: adapter.name,
    IsLegacy: adapter.isLegacy,
    IsManagementOs: false,
    VMName: vm.name,
    // "Not connected": no switch name or ID (Get-VMNetworkAdapter shows SwitchName empty).
    SwitchName: adapter.switchName,
    MacAddress: adapter.macAddress,
    Status: running ? ['Ok'] : [],
    IPAddresses: adapterIpAddresses({ ...vm, networkAdapters: adaptersOf(vm) }, adapter),
    DynamicMacAddressEnabled: adapter.dynamicMacAddressEnabled,
    SwitchId: adapter.switchId,
    Connected: adapter.switchId !== null,
    VMId: vm.id,
    // [B] Hyper-V's adapter Id reads "Microsoft:<VM ID>\<device instance ID>", upper case.
    Id: `Microsoft:${vm.id.toUpperCase()}\\${adapter.id.toUpperCase()}`,
    AdapterId: adapter.id,
    ComputerName: ctx.host.info().name,
  });
}

/** The VM's adapters whose name matches one of `names` (null: every adapter). */
export function adaptersNamed(vm: VmDetail, names: string[] | null): NetworkAdapter[] {
  return adaptersOf(vm).filter((a) => names === null || names.some((n) => nameMatcher(n)(a.name)));
}

const getVmNetworkAdapter: CmdletDef = {
  name: 'Get-VMNetworkAdapter',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMNetworkAdapter',
  // Microsoft's reference: [-VMName] <String[]> or [-VM] <VirtualMachine[]>, [[-Name] <String>] of
  // the adapter, [-IsLegacy <Boolean>] (-All, -ManagementOS and -VMSnapshot sets not implemented:
  // the host has no management adapters).
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'Name', type: 'string', position: 1 },
    { name: 'IsLegacy', type: 'bool' },
  ],
  process(ctx, params) {
    const names = typeof params.Name === 'string' ? [params.Name] : null;
    for (const vm of vmsOf(ctx, params)) {
      const detail = ctx.host.getVm(vm.id);
      for (const adapter of adaptersNamed(detail, names)) {
        if (typeof params.IsLegacy === 'boolean' && adapter.isLegacy !== params.IsLegacy) continue;
        ctx.write(networkAdapterObject(ctx, detail, adapter));
      }
    }
    return Promise.resolve();
  },
};

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

export const adapterObjectParam: ParamDef = {
  name: 'VMNetworkAdapter',
  type: 'object[]',
  objectTypes: [VM_NETWORK_ADAPTER_TYPE],
  pipelineByValue: true,
};

/** One adapter of one VM, as a Connect-/Disconnect-/Remove-/Rename- call names it. */
export interface AdapterTarget {
  vm: VmDetail;
  adapter: NetworkAdapter;
}

/**
 * The adapters a call names: adapter objects from the pipeline, or -VMName / -VM (each name that
 * finds no VM reported) with an optional adapter -Name (every adapter of the VM without one).
 */
export function targetAdapters(ctx: CmdletContext, params: Bound): AdapterTarget[] {
  const objects = params.VMNetworkAdapter;
  if (objects instanceof PsObject || Array.isArray(objects)) {
    return (Array.isArray(objects) ? objects : [objects]).flatMap((o) => {
      const object = o as PsObject;
      const vm = ctx.host.getVm(toPsString(object.get('VMId')) as VmId);
      const adapter = adaptersOf(vm).find((a) => a.id === toPsString(object.get('AdapterId')));
      return adapter === undefined ? [] : [{ vm, adapter }];
    });
  }
  const raw = params.Name;
  const names =
    raw === undefined ? null : (Array.isArray(raw) ? (raw as unknown[]) : [raw]).map(toPsString);
  return vmsOf(ctx, params).flatMap((summary) => {
    const vm = ctx.host.getVm(summary.id);
    return adaptersNamed(vm, names).map((adapter) => ({ vm, adapter }));
  });
}

/**
 * Connect-VMNetworkAdapter (Microsoft's reference, winserver2019-ps/hyper-v/Connect-VMNetworkAdapter.md):
 * -VMName (position 0) with an optional adapter -Name, or -VMNetworkAdapter objects from the
 * pipeline; the switch by -SwitchName or as a -VMSwitch object (`Get-VMSwitch X |
 * Connect-VMNetworkAdapter -VMName Test1`, its example 3); -Passthru. The reference gives -Name
 * and -SwitchName both position 1; here -SwitchName takes it, so `Connect-VMNetworkAdapter Web Lab`
 * connects Web's adapters to Lab. A running VM's adapter moves too, as in Hyper-V. A switch name
 * that finds none gets the "unable to find a virtual switch" record (see vmSwitch.ts).
 */
const connectVmNetworkAdapter: CmdletDef = {
  name: 'Connect-VMNetworkAdapter',
  className: cls('ConnectVMNetworkAdapter'),
  shouldProcess: true,
  parameterSets: [
    { name: 'Name_SwitchName', mandatory: ['VMName', 'SwitchName'], members: ['Name'] },
    { name: 'Object_SwitchName', mandatory: ['VMNetworkAdapter', 'SwitchName'] },
    { name: 'Name_SwitchObject', mandatory: ['VMName', 'VMSwitch'], members: ['Name'] },
    { name: 'Object_SwitchObject', mandatory: ['VMNetworkAdapter', 'VMSwitch'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, notNullOrEmpty: true },
    { name: 'Name', type: 'string[]', aliases: ['VMNetworkAdapterName'] },
    { name: 'SwitchName', type: 'string', position: 1, notNullOrEmpty: true },
    { ...adapterObjectParam, position: 0 },
    {
      name: 'VMSwitch',
      type: 'object',
      objectTypes: [VM_SWITCH_TYPE],
      position: 2,
      pipelineByValue: true,
    },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const switches = ctx.host.listVirtualSwitches();
    const target =
      params.VMSwitch instanceof PsObject
        ? switches.find((s) => s.id === toPsString((params.VMSwitch as PsObject).get('Id')))
        : switches.find((s) => nameMatcher(toPsString(params.SwitchName))(s.name));
    if (target === undefined) {
      ctx.writeError(switchNotFound(toPsString(params.SwitchName ?? '')));
      return;
    }
    await forEachTarget(ctx, targetAdapters(ctx, params), async ({ vm, adapter }) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${adapter.name}`))) return;
      const updated = await ctx.host.connectNetworkAdapter(vm.id, target.id, adapter.id);
      writeAdapter(ctx, params, updated, adapter.id);
    });
  },
};

/** -Passthru: the adapter as it is after the change. */
export function writeAdapter(
  ctx: CmdletContext,
  params: Bound,
  vm: VmDetail,
  adapterId: string,
): void {
  if (params.Passthru !== true) return;
  const adapter = adaptersOf(vm).find((a) => a.id === adapterId);
  if (adapter !== undefined) ctx.write(networkAdapterObject(ctx, vm, adapter));
}

/** Disconnect-VMNetworkAdapter (Microsoft's reference): the adapter stays, "Not connected". */
const disconnectVmNetworkAdapter: CmdletDef = {
  name: 'Disconnect-VMNetworkAdapter',
  className: cls('DisconnectVMNetworkAdapter'),
  shouldProcess: true,
  parameterSets: [
    { name: 'Name', mandatory: ['VMName'], members: ['Name'] },
    { name: 'Object', mandatory: ['VMNetworkAdapter'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, notNullOrEmpty: true },
    { name: 'Name', type: 'string[]', aliases: ['VMNetworkAdapterName'], position: 1 },
    { ...adapterObjectParam, position: 0 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetAdapters(ctx, params), async ({ vm, adapter }) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${adapter.name}`))) return;
      const updated = await ctx.host.disconnectNetworkAdapter(vm.id, adapter.id);
      writeAdapter(ctx, params, updated, adapter.id);
    });
  },
};

export const vmNetworkAdapterCmdlets: CmdletDef[] = [
  getVmNetworkAdapter,
  connectVmNetworkAdapter,
  disconnectVmNetworkAdapter,
];
