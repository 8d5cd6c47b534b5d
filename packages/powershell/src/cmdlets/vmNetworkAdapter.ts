/**
 * Get-VMNetworkAdapter: every VM has one "Network Adapter" on the Default Switch. What is
 * simulated: the MAC address (a dynamic one from Hyper-V's 00-15-5D range, fixed per VM), the
 * status, and the addresses a running guest reports.
 */
import type { VmDetail } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { nameMatcher } from './objects.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';
import { vmsOf } from './eachVm.js';
import { DEFAULT_SWITCH } from './vmSwitch.js';

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
  const hash = idHash(vm);
  return [`172.${16 + ((hash >>> 24) & 0x0f)}.${(hash >>> 16) & 0xff}.${2 + ((hash >>> 8) % 250)}`];
}

export function networkAdapterObject(ctx: CmdletContext, vm: VmDetail): PsObject {
  const running = vm.state === 'Running' || vm.state === 'Paused';
  return new PsObject(VM_NETWORK_ADAPTER_TYPE, {
    Name: 'Network Adapter',
    IsManagementOs: false,
    VMName: vm.name,
    SwitchName: DEFAULT_SWITCH.name,
    MacAddress: simulatedMacAddress(vm),
    Status: running ? ['Ok'] : [],
    IPAddresses: simulatedIpAddresses(vm),
    DynamicMacAddressEnabled: true,
    SwitchId: DEFAULT_SWITCH.id,
    Connected: true,
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

export const vmNetworkAdapterCmdlets: CmdletDef[] = [getVmNetworkAdapter];
