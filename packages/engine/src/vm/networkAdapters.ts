/**
 * Add-, Remove-, Rename-, Connect- and Disconnect-VMNetworkAdapter: a VM's network adapters
 * (`vmDevices.ts` holds the model and its limits). Every change is one atomic write of the VM's
 * configuration (`persistVm`), which a failed write puts back as the disk holds it.
 *
 * When: a VM that is Off takes any change. A running generation 2 VM takes a synthetic adapter
 * added or removed: "You can now add or remove a network adapter while the virtual machine is
 * running, without incurring downtime. This works for generation 2 virtual machines" (Microsoft,
 * "What's new in Hyper-V on Windows Server", Windows Server 2016: hot add and remove for network
 * adapters). A legacy adapter, a generation 1 VM and a Saved or Paused VM are refused with Hyper-V's
 * "The operation cannot be performed while the virtual machine is in its current state."
 * (`invalidState`). An adapter moves to another switch, or is renamed, in any state: [B] Hyper-V
 * lets a running VM's adapter change switch; that it renames one while running is not verified.
 */
import { EngineError, ErrorCode, invalidArgument, invalidState } from '../errors.js';
import { persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { validateName } from '../checkpoint/checkpointName.js';
import type { NetworkAdapterRecord } from '../persistence/records.js';
import type { AddNetworkAdapterInput } from '../network/switchTypes.js';
import { findSwitch } from '../network/virtualSwitches.js';
import { emitVmChanged } from './vmView.js';
import {
  LEGACY_NETWORK_ADAPTER_NAME,
  MAX_LEGACY_NETWORK_ADAPTERS,
  MAX_NETWORK_ADAPTERS,
  NETWORK_ADAPTER_NAME,
  adapterRecordsOf,
  explicitAdapters,
} from './vmDevices.js';

/** Whether the VM may gain or lose this kind of adapter now (see the file comment). */
function assertCanAddOrRemove(vm: VmRuntime, isLegacy: boolean, operation: string): void {
  if (vm.state === 'Off') return;
  const hotPlug = vm.state === 'Running' && vm.file.configuration.generation === 2 && !isLegacy;
  if (!hotPlug) throw invalidState(vm.file.name, vm.state, operation);
}

/**
 * No adapter with that ID. [B] Hyper-V's wording is not known; this follows its "Hyper-V was
 * unable to find a virtual machine with name" record.
 */
function adapterNotFound(vm: VmRuntime, adapterId: string): EngineError {
  return new EngineError(
    ErrorCode.NotFound,
    `Hyper-V was unable to find a network adapter with ID "${adapterId}" on '${vm.file.name}'.`,
    { object: 'network adapter', vmName: vm.file.name, id: adapterId },
  );
}

function findAdapter(vm: VmRuntime, adapterId: unknown): NetworkAdapterRecord {
  const id = typeof adapterId === 'string' ? adapterId.toLowerCase() : '';
  const found = adapterRecordsOf(vm.file.configuration, vm.file.id).find((a) => a.id === id);
  if (found === undefined) throw adapterNotFound(vm, String(adapterId));
  return found;
}

/**
 * -StaticMacAddress: twelve hexadecimal digits, with or without '-' or ':' between the pairs, a
 * unicast address (the first octet's lowest bit clear) other than all zeros. [B] Hyper-V's refusal
 * of a bad address is not known word for word; the sentence is ours.
 */
export function validateStaticMacAddress(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const digits = /^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){5}$/.test(text)
    ? text.replace(/[-:]/g, '').toUpperCase()
    : null;
  const firstOctet = digits === null ? 1 : Number.parseInt(digits.slice(0, 2), 16);
  if (digits === null || (firstOctet & 1) === 1 || /^0+$/.test(digits)) {
    throw invalidArgument(
      'staticMacAddress',
      'The MAC address must be 12 hexadecimal digits of a unicast address, such as 00155D010203.',
    );
  }
  return digits;
}

async function commit(ctx: HostContext, vm: VmRuntime, change: () => void): Promise<void> {
  change();
  await persistVm(ctx, vm);
  emitVmChanged(ctx, vm);
}

/** Add-VMNetworkAdapter: the new adapter goes last; returns it as the configuration holds it. */
export async function addNetworkAdapter(
  ctx: HostContext,
  vm: VmRuntime,
  input: AddNetworkAdapterInput,
  beforeAdd: (record: NetworkAdapterRecord) => Promise<void> = () => Promise.resolve(),
): Promise<NetworkAdapterRecord> {
  const isLegacy = input.isLegacy === true;
  if (isLegacy && vm.file.configuration.generation === 2) {
    // A generation 1 device only (vmDevices.ts); [B] the sentence is ours.
    throw invalidArgument(
      'isLegacy',
      'Generation 2 virtual machines do not support legacy network adapters.',
    );
  }
  assertCanAddOrRemove(vm, isLegacy, 'add a network adapter');
  const name = validateName(
    'name',
    input.name ?? (isLegacy ? LEGACY_NETWORK_ADAPTER_NAME : NETWORK_ADAPTER_NAME),
    'network adapter',
  );
  const switchId =
    input.switchId === undefined || input.switchId === null
      ? null
      : findSwitch(ctx, input.switchId).id;
  const staticMacAddress =
    input.staticMacAddress === undefined ? null : validateStaticMacAddress(input.staticMacAddress);
  const existing = adapterRecordsOf(vm.file.configuration, vm.file.id);
  const limit = isLegacy ? MAX_LEGACY_NETWORK_ADAPTERS : MAX_NETWORK_ADAPTERS;
  if (existing.filter((a) => a.isLegacy === isLegacy).length >= limit) {
    // [B] Hyper-V's refusal is not known word for word; the limit is Microsoft's (vmDevices.ts).
    throw new EngineError(
      ErrorCode.LimitExceeded,
      `'${vm.file.name}' already has the maximum of ${limit} ${isLegacy ? 'legacy network adapters' : 'network adapters'}.`,
      { vmName: vm.file.name, limit },
    );
  }
  const record: NetworkAdapterRecord = {
    id: ctx.ids.newGuid().toLowerCase(),
    name,
    isLegacy,
    switchId,
    staticMacAddress,
  };
  // A running guest gets the adapter's device first (hot add); the adapter is recorded after.
  await beforeAdd(record);
  await commit(ctx, vm, () => {
    explicitAdapters(vm.file).push(record);
  });
  return record;
}

/** Remove-VMNetworkAdapter: the adapter goes; a VM may be left with none, as in Hyper-V. */
export async function removeNetworkAdapter(
  ctx: HostContext,
  vm: VmRuntime,
  adapterId: string,
  beforeRemove: (record: NetworkAdapterRecord) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const record = findAdapter(vm, adapterId);
  assertCanAddOrRemove(vm, record.isLegacy, 'remove a network adapter');
  // A running guest lets go of the adapter's device first (hot remove); a failure keeps the adapter.
  await beforeRemove(record);
  await commit(ctx, vm, () => {
    vm.file.configuration.networkAdapters = explicitAdapters(vm.file).filter(
      (a) => a.id !== record.id,
    );
  });
}

/** Rename-VMNetworkAdapter -NewName. */
export async function renameNetworkAdapter(
  ctx: HostContext,
  vm: VmRuntime,
  adapterId: string,
  newName: string,
): Promise<void> {
  const record = findAdapter(vm, adapterId);
  const name = validateName('name', newName, 'network adapter', record.name);
  await commit(ctx, vm, () => {
    const target = explicitAdapters(vm.file).find((a) => a.id === record.id);
    if (target !== undefined) target.name = name;
  });
}

/**
 * Connect-VMNetworkAdapter -SwitchName (a switch ID here) and Disconnect-VMNetworkAdapter (null):
 * one adapter by its ID, or, without one, every adapter of the VM (as `-VMName` without `-Name`).
 */
export async function setNetworkAdapterSwitch(
  ctx: HostContext,
  vm: VmRuntime,
  switchId: string | null,
  adapterId?: string,
): Promise<void> {
  const target = switchId === null ? null : findSwitch(ctx, switchId).id;
  const only = adapterId === undefined ? null : findAdapter(vm, adapterId).id;
  await commit(ctx, vm, () => {
    for (const adapter of explicitAdapters(vm.file))
      if (only === null || adapter.id === only) adapter.switchId = target;
  });
}
