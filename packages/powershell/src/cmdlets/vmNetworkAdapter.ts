/**
 * Get-VMNetworkAdapter: every VM has one "Network Adapter", connected to a virtual switch (the
 * Default Switch unless connected elsewhere) or "Not connected"; Connect- and
 * Disconnect-VMNetworkAdapter move it. What is simulated: the MAC
 * address (a dynamic one from Hyper-V's 00-15-5D range, fixed per VM), the status, and the
 * addresses a running guest reports.
 */
import type { VmDetail } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { nameMatcher } from './objects.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { vmsOf } from './eachVm.js';
import { DEFAULT_SWITCH } from './vmSwitch.js';
import { forEachTarget } from './eachVm.js';
import { VM_SWITCH_TYPE, switchNotFound } from './vmSwitch.js';
import type { Bound, ParamDef } from './types.js';
import { toPsString } from '../runtime/values.js';
import type { VmId } from '@hvm/engine';

export const VM_NETWORK_ADAPTER_TYPE = 'Microsoft.HyperV.PowerShell.VMNetworkAdapter';

/** A stable hash of the VM ID, for its simulated MAC and IP address. */
function idHash(vm: VmDetail): number {
  let hash = 2166136261;
  for (const char of vm.id) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/** Hyper-V hands out dynamic MAC addresses from 00-15-5D (Microsoft's prefix), printed without separators. */
export function simulatedMacAddress(vm: VmDetail): string {
  const low = (idHash(vm) & 0xffffff).toString(16).toUpperCase().padStart(6, '0');
  return `00155D${low}`;
}

/**
 * The addresses Hyper-V learns from the guest through Key-Value Pair Exchange: only a running
 * guest with an operating system and that integration service reports any. The simulated guest
 * has no network stack; it reports one IPv4 address in the Default Switch's NAT range
 * (172.16.0.0/12 private addresses), fixed per VM.
 */
export function simulatedIpAddresses(vm: VmDetail): string[] {
  if (vm.state !== 'Running' || vm.guestImage === null || !vm.integrationServices.dataExchange)
    return [];
  // Only the Default Switch hands out addresses (its NAT's DHCP); a switch an administrator
  // creates has no DHCP server, and the simulated guest sets no address of its own.
  if (adapterOf(vm).switchId !== DEFAULT_SWITCH.id) return [];
  const hash = idHash(vm);
  return [`172.${16 + ((hash >>> 24) & 0x0f)}.${(hash >>> 16) & 0xff}.${2 + ((hash >>> 8) % 250)}`];
}

/** The VM's adapter as the engine reports it (a VM from an older engine: the Default Switch). */
function adapterOf(vm: VmDetail): {
  name: string;
  switchId: string | null;
  switchName: string | null;
} {
  return (
    vm.networkAdapters?.[0] ?? {
      name: 'Network Adapter',
      switchId: DEFAULT_SWITCH.id,
      switchName: DEFAULT_SWITCH.name,
    }
  );
}

export function networkAdapterObject(ctx: CmdletContext, vm: VmDetail): PsObject {
  const running = vm.state === 'Running' || vm.state === 'Paused';
  const adapter = adapterOf(vm);
  return new PsObject(VM_NETWORK_ADAPTER_TYPE, {
    Name: adapter.name,
    IsManagementOs: false,
    VMName: vm.name,
    // "Not connected": no switch name or ID (Get-VMNetworkAdapter shows SwitchName empty).
    SwitchName: adapter.switchName,
    MacAddress: simulatedMacAddress(vm),
    Status: running ? ['Ok'] : [],
    IPAddresses: simulatedIpAddresses(vm),
    DynamicMacAddressEnabled: true,
    SwitchId: adapter.switchId,
    Connected: adapter.switchId !== null,
    VMId: vm.id,
    ComputerName: ctx.host.info().name,
  });
}

const getVmNetworkAdapter: CmdletDef = {
  name: 'Get-VMNetworkAdapter',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMNetworkAdapter',
  // Microsoft's reference: [-VMName] <String[]> or [-VM] <VirtualMachine[]>, [-Name] of the
  // adapter (-All and -ManagementOS sets not implemented: the host has no management adapters).
  parameterSets: vmNameOrVmSets,
  params: [...vmNameOrVmParams, { name: 'Name', type: 'string' }],
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) {
      const o = networkAdapterObject(ctx, ctx.host.getVm(vm.id));
      if (typeof params.Name === 'string' && !nameMatcher(params.Name)('Network Adapter')) continue;
      ctx.write(o);
    }
    return Promise.resolve();
  },
};

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

const adapterObjectParam: ParamDef = {
  name: 'VMNetworkAdapter',
  type: 'object[]',
  objectTypes: [VM_NETWORK_ADAPTER_TYPE],
  pipelineByValue: true,
};

/**
 * The VMs whose adapter a Connect-/Disconnect- call names: adapter objects from the pipeline, or
 * -VMName (each name that finds no VM reported) with an optional adapter -Name.
 */
function targetAdapterVms(ctx: CmdletContext, params: Bound): VmDetail[] {
  const objects = params.VMNetworkAdapter;
  if (objects instanceof PsObject || Array.isArray(objects)) {
    return (Array.isArray(objects) ? objects : [objects]).map((o) =>
      ctx.host.getVm(toPsString((o as PsObject).get('VMId')) as VmId),
    );
  }
  const names = params.Name === undefined ? null : (params.Name as unknown[]).map(toPsString);
  return vmsOf(ctx, params)
    .map((vm) => ctx.host.getVm(vm.id))
    .filter((vm) => names === null || names.some((n) => nameMatcher(n)(adapterOf(vm).name)));
}

/**
 * Connect-VMNetworkAdapter (Microsoft's reference, winserver2019-ps/hyper-v/Connect-VMNetworkAdapter.md):
 * -VMName (position 0) with an optional adapter -Name, or -VMNetworkAdapter objects from the
 * pipeline; the switch by -SwitchName or as a -VMSwitch object (`Get-VMSwitch X |
 * Connect-VMNetworkAdapter -VMName Test1`, its example 3); -Passthru. The reference gives -Name
 * and -SwitchName both position 1; here -SwitchName takes it, so `Connect-VMNetworkAdapter Web Lab`
 * connects Web to Lab. A running VM's adapter moves too, as in Hyper-V. A switch name that finds
 * none gets the "unable to find a virtual switch" record (see vmSwitch.ts).
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
    await forEachTarget(ctx, targetAdapterVms(ctx, params), async (vm) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${adapterOf(vm).name}`))) return;
      const updated = await ctx.host.connectNetworkAdapter(vm.id, target.id);
      if (params.Passthru === true) ctx.write(networkAdapterObject(ctx, updated));
    });
  },
};

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
    await forEachTarget(ctx, targetAdapterVms(ctx, params), async (vm) => {
      if (!(await ctx.shouldProcess(`${vm.name}: ${adapterOf(vm).name}`))) return;
      const updated = await ctx.host.disconnectNetworkAdapter(vm.id);
      if (params.Passthru === true) ctx.write(networkAdapterObject(ctx, updated));
    });
  },
};

export const vmNetworkAdapterCmdlets: CmdletDef[] = [
  getVmNetworkAdapter,
  connectVmNetworkAdapter,
  disconnectVmNetworkAdapter,
];
