/**
 * The host's operations on a VM's network adapters and SCSI controllers (`networkAdapters.ts`,
 * `scsiControllers.ts`), each holding the VM under the catalogue's label, as `createHost` builds
 * the others.
 */
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import {
  bringQemuGuestNetworkToSettings,
  plugQemuGuestAdapter,
  refuseWhileQemuHoldsDevices,
  unplugQemuGuestAdapter,
  unplugQemuGuestAdapterQuietly,
} from '../hypervisor/qemuVmNetwork.js';
import type { Host } from '../host/host.js';
import type { OperationName } from '../operations/operationCatalog.js';
import type { VmDetail, VmId } from '../types.js';
import {
  addNetworkAdapter,
  removeNetworkAdapter,
  renameNetworkAdapter,
  setNetworkAdapterSwitch,
} from './networkAdapters.js';
import { addScsiController, removeScsiController } from './scsiControllers.js';
import { toVmDetail } from './vmView.js';

type Held = <T>(
  vmId: VmId,
  operation: OperationName,
  fn: (vm: VmRuntime) => Promise<T>,
) => Promise<T>;

type DeviceOperations = Pick<
  Host,
  | 'connectNetworkAdapter'
  | 'disconnectNetworkAdapter'
  | 'addNetworkAdapter'
  | 'removeNetworkAdapter'
  | 'renameNetworkAdapter'
  | 'addScsiController'
  | 'removeScsiController'
>;

export function deviceOperations(ctx: HostContext, held: Held): DeviceOperations {
  const run = (
    vmId: VmId,
    operation: OperationName,
    change: (vm: VmRuntime) => Promise<unknown>,
  ): Promise<VmDetail> =>
    held(vmId, operation, async (vm) => {
      await change(vm);
      return toVmDetail(ctx, vm);
    });
  return {
    // A QEMU guest follows at once: the link set up or down, a device plugged in or let go of
    // (hypervisor/qemuVmNetwork.ts); a Saved one follows when it is restored.
    connectNetworkAdapter: (vmId, switchId, adapterId) =>
      run(vmId, 'connectNetworkAdapter', async (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'connect a network adapter');
        await setNetworkAdapterSwitch(ctx, vm, switchId, adapterId);
        await bringQemuGuestNetworkToSettings(ctx, vm);
      }),
    disconnectNetworkAdapter: (vmId, adapterId) =>
      run(vmId, 'disconnectNetworkAdapter', async (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'disconnect a network adapter');
        await setNetworkAdapterSwitch(ctx, vm, null, adapterId);
        await bringQemuGuestNetworkToSettings(ctx, vm);
      }),
    addNetworkAdapter: (vmId, input) =>
      run(vmId, 'addNetworkAdapter', async (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'add a network adapter');
        let plugged: string | null = null;
        try {
          await addNetworkAdapter(ctx, vm, input, async (record) => {
            await plugQemuGuestAdapter(ctx, vm, record);
            plugged = record.id;
          });
        } catch (error) {
          // Plugged in, but the adapter could not be recorded: the device goes again.
          if (plugged !== null) await unplugQemuGuestAdapterQuietly(vm, plugged);
          throw error;
        }
      }),
    removeNetworkAdapter: (vmId, adapterId) =>
      run(vmId, 'removeNetworkAdapter', (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'remove a network adapter');
        return removeNetworkAdapter(ctx, vm, adapterId, (record) =>
          unplugQemuGuestAdapter(vm, record),
        );
      }),
    renameNetworkAdapter: (vmId, adapterId, newName) =>
      run(vmId, 'renameNetworkAdapter', (vm) => renameNetworkAdapter(ctx, vm, adapterId, newName)),
    addScsiController: (vmId) => run(vmId, 'addScsiController', (vm) => addScsiController(ctx, vm)),
    removeScsiController: (vmId, controllerNumber) =>
      run(vmId, 'removeScsiController', (vm) => removeScsiController(ctx, vm, controllerNumber)),
  };
}
