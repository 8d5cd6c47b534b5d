/**
 * The host's operations on a VM's network adapters and SCSI controllers (`networkAdapters.ts`,
 * `scsiControllers.ts`), each holding the VM under the catalogue's label, as `createHost` builds
 * the others.
 */
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { refuseWhileQemuHoldsDevices } from '../hypervisor/qemuVm.js';
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
    connectNetworkAdapter: (vmId, switchId, adapterId) =>
      run(vmId, 'connectNetworkAdapter', (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'connect a network adapter');
        return setNetworkAdapterSwitch(ctx, vm, switchId, adapterId);
      }),
    disconnectNetworkAdapter: (vmId, adapterId) =>
      run(vmId, 'disconnectNetworkAdapter', (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'disconnect a network adapter');
        return setNetworkAdapterSwitch(ctx, vm, null, adapterId);
      }),
    addNetworkAdapter: (vmId, input) =>
      run(vmId, 'addNetworkAdapter', (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'add a network adapter');
        return addNetworkAdapter(ctx, vm, input);
      }),
    removeNetworkAdapter: (vmId, adapterId) =>
      run(vmId, 'removeNetworkAdapter', (vm) => {
        refuseWhileQemuHoldsDevices(ctx, vm, 'remove a network adapter');
        return removeNetworkAdapter(ctx, vm, adapterId);
      }),
    renameNetworkAdapter: (vmId, adapterId, newName) =>
      run(vmId, 'renameNetworkAdapter', (vm) => renameNetworkAdapter(ctx, vm, adapterId, newName)),
    addScsiController: (vmId) => run(vmId, 'addScsiController', (vm) => addScsiController(ctx, vm)),
    removeScsiController: (vmId, controllerNumber) =>
      run(vmId, 'removeScsiController', (vm) => removeScsiController(ctx, vm, controllerNumber)),
  };
}
