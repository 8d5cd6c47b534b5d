/**
 * A QEMU VM's network adapters as its settings change (qemuNetwork.ts has the devices): the
 * running or paused guest follows Connect-, Disconnect-, Add- and Remove-VMNetworkAdapter at once,
 * a Saved VM's guest follows them when it is restored, and Hyper-V's own rules say when a change
 * is allowed at all (vm/networkAdapters.ts). Only a VM whose saved state predates the device
 * record, or whose guest was restored from one, keeps its devices as they are until it is Off.
 */
import { EngineError, ErrorCode } from '../errors.js';
import { EventIds, vmIdSuffix } from '../eventLog/eventCatalog.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import type { NetworkAdapterRecord } from '../persistence/records.js';
import { NETWORK_ADAPTER_UNPLUG_TIMEOUT_MS, type QemuGuestNetwork } from './qemuNetwork.js';
import { runsUnderQemu } from './qemuVm.js';
import { wantedAdaptersOf } from './qemuWantedAdapters.js';

/** The running or paused guest's adapter devices; null without a guest or in the older layout. */
function guestNetworkOf(vm: VmRuntime): QemuGuestNetwork | null {
  return vm.qemu?.guest.networkAdapters ?? null;
}

/**
 * Whether the VM's devices are those of the layout before each adapter had its device (a guest
 * restored from such a state, or such a saved state): a saved state restores only onto the
 * devices it was taken with, and that layout records none.
 */
function holdsOlderLayout(vm: VmRuntime): boolean {
  if (vm.state === 'Off') return false;
  if (vm.qemu !== undefined && vm.qemu !== null) return vm.qemu.guest.networkAdapters === null;
  return vm.state === 'Saved' && vm.file.savedState?.qemuDevices === undefined;
}

/**
 * Refuses a change of network adapters while the VM holds devices of the older layout (see
 * `holdsOlderLayout`). These are this host's words, not Hyper-V's: Hyper-V has no such limit.
 */
export function refuseWhileQemuHoldsDevices(
  ctx: HostContext,
  vm: VmRuntime,
  operation: string,
): void {
  if (!runsUnderQemu(ctx, vm) || !holdsOlderLayout(vm)) return;
  throw new EngineError(
    ErrorCode.InvalidState,
    `Cannot ${operation} for '${vm.file.name}' while it is ${vm.state}: its saved state was taken before this host recorded the devices of saved states, and restores only onto the network devices it had. Turn the virtual machine off first.`,
    { vmName: vm.file.name, actual: vm.state, operation, reason: 'qemu-guest-holds-devices' },
  );
}

/**
 * Brings the running or paused guest's devices to the VM's adapters now: a connected adapter's
 * link up, a Not connected one's down, a new adapter plugged in. Nothing without a guest (a Saved
 * VM's guest is brought to them when it is restored).
 */
export async function bringQemuGuestNetworkToSettings(
  ctx: HostContext,
  vm: VmRuntime,
): Promise<void> {
  const network = guestNetworkOf(vm);
  if (network === null) return;
  await network.bringTo(wantedAdaptersOf(ctx, vm), NETWORK_ADAPTER_UNPLUG_TIMEOUT_MS);
}

/**
 * After a restore from a saved state: the guest's devices (those the state recorded) are brought
 * to the VM's settings now. A change the guest does not complete (it does not let go of a removed
 * adapter in time) is written to the event log as a warning; the guest runs on.
 */
export async function settleRestoredQemuGuestNetwork(
  ctx: HostContext,
  vm: VmRuntime,
): Promise<void> {
  try {
    await bringQemuGuestNetworkToSettings(ctx, vm);
  } catch (error) {
    const ref = { id: vm.file.id, name: vm.file.name };
    const detail = error instanceof Error ? error.message : String(error);
    // Hyper-V restores onto its own devices and has no such step: these words are this host's.
    ctx.recordEvent?.({
      level: 'Warning',
      eventId: EventIds.GuestNetworkAdaptersNotSettled,
      vm: ref,
      operation: 'Start',
      outcome: 'Failed',
      message: `'${ref.name}' was restored from its saved state, but its network adapters could not all be brought to its settings (${detail}). ${vmIdSuffix(ref.id)}`,
    });
  }
}

/**
 * Hot add (generation 2, Running; vm/networkAdapters.ts decides): the new adapter's device is
 * plugged into the guest before the adapter is recorded.
 */
export async function plugQemuGuestAdapter(
  ctx: HostContext,
  vm: VmRuntime,
  adapter: NetworkAdapterRecord,
): Promise<void> {
  const network = guestNetworkOf(vm);
  if (network === null) return;
  const configuration = {
    ...vm.file.configuration,
    networkAdapters: [adapter],
  };
  const [wanted] = wantedAdaptersOf(ctx, vm, configuration);
  if (wanted !== undefined) await network.plug(wanted);
}

/** Takes a plugged adapter's device out again when recording the adapter failed. */
export async function unplugQemuGuestAdapterQuietly(
  vm: VmRuntime,
  adapterId: string,
): Promise<void> {
  await guestNetworkOf(vm)
    ?.unplug(adapterId, NETWORK_ADAPTER_UNPLUG_TIMEOUT_MS)
    .catch(() => undefined);
}

/**
 * Hot remove (generation 2, Running): the guest must let go of the device before the adapter is
 * removed from the settings. When it does not within the bound, the removal fails and the adapter
 * stays. [B] Hyper-V's message for a guest that does not release a removed adapter is not known;
 * these words are this host's.
 */
export async function unplugQemuGuestAdapter(
  vm: VmRuntime,
  adapter: NetworkAdapterRecord,
): Promise<void> {
  const network = guestNetworkOf(vm);
  if (network === null) return;
  try {
    await network.unplug(adapter.id, NETWORK_ADAPTER_UNPLUG_TIMEOUT_MS);
  } catch (error) {
    throw new EngineError(
      ErrorCode.OperationFailed,
      `The guest operating system of '${vm.file.name}' did not release network adapter '${adapter.name}' within ${NETWORK_ADAPTER_UNPLUG_TIMEOUT_MS / 1000} seconds; the adapter was not removed.`,
      {
        vmName: vm.file.name,
        id: adapter.id,
        cause: error instanceof Error ? error.message : String(error),
      },
    );
  }
}
