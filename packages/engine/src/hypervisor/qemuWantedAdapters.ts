/** A VM's network adapters as its QEMU guest should have them (qemuNetwork.ts has the devices). */
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { networkAdaptersOf } from '../network/switchRegistry.js';
import type { VmConfiguration } from '../persistence/records.js';
import type { WantedAdapter } from './qemuNetwork.js';

/** The VM's adapters as its guest should have them now (or as `configuration` would have them). */
export function wantedAdaptersOf(
  ctx: HostContext,
  vm: VmRuntime,
  configuration: VmConfiguration = vm.file.configuration,
): WantedAdapter[] {
  return networkAdaptersOf(ctx, { ...vm.file, configuration }).map((adapter) => ({
    adapterId: adapter.id,
    macAddress: adapter.macAddress,
    connected: adapter.switchId !== null,
  }));
}
