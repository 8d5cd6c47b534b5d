/**
 * Add- and Remove-VMScsiController: a VM's SCSI controllers, numbered 0 up (`vmDevices.ts` holds
 * the model and the limit of 4). Only while the VM is Off: Hyper-V Manager offers Add Hardware
 * only for a VM that is off, and a SCSI controller is not a device Hyper-V adds to or removes from
 * a running VM (Windows Server 2016's hot add and remove covers network adapters and memory,
 * "What's new in Hyper-V on Windows Server"); refused otherwise with Hyper-V's "The operation
 * cannot be performed while the virtual machine is in its current state." (`invalidState`).
 *
 * A controller that still has drives is not removed. [B] What Hyper-V does then is not known:
 * Remove-VMScsiController's reference does not say, and the HyperVDsc resource (VMScsiController,
 * dsccommunity) detaches the drives itself before it removes a controller, which suggests Hyper-V
 * does not do it for it. This host refuses and names the drives to remove first; no drive is lost
 * without being asked for.
 *
 * The controllers after a removed one move down a number (ControllerNumber is the controller's
 * place), and their drives with them, in the same atomic write.
 */
import { EngineError, ErrorCode, invalidState } from '../errors.js';
import {
  persistVm,
  refuseWhileMerging,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import { emitVmChanged } from './vmView.js';
import { MAX_SCSI_CONTROLLERS, scsiControllerCountOf } from './vmDevices.js';

const SCSI_LOCATION = /^SCSI (\d+):(\d+)$/i;

function assertOff(vm: VmRuntime, operation: string): void {
  if (vm.state !== 'Off') throw invalidState(vm.file.name, vm.state, operation);
  refuseWhileMerging(vm);
}

/** Add-VMScsiController: one more controller, the next number. */
export async function addScsiController(ctx: HostContext, vm: VmRuntime): Promise<number> {
  assertOff(vm, 'add a SCSI controller');
  const count = scsiControllerCountOf(vm.file.configuration, vm.file.drives);
  if (count >= MAX_SCSI_CONTROLLERS) {
    // [B] Hyper-V's refusal is not known word for word; the limit is Microsoft's (vmDevices.ts).
    throw new EngineError(
      ErrorCode.LimitExceeded,
      `'${vm.file.name}' already has the maximum of ${MAX_SCSI_CONTROLLERS} SCSI controllers.`,
      { vmName: vm.file.name, limit: MAX_SCSI_CONTROLLERS },
    );
  }
  vm.file.configuration.scsiControllerCount = count + 1;
  await persistVm(ctx, vm);
  emitVmChanged(ctx, vm);
  return count;
}

/** Remove-VMScsiController -ControllerNumber: an empty controller only (see the file comment). */
export async function removeScsiController(
  ctx: HostContext,
  vm: VmRuntime,
  controllerNumber: number,
): Promise<void> {
  assertOff(vm, 'remove a SCSI controller');
  const count = scsiControllerCountOf(vm.file.configuration, vm.file.drives);
  if (!Number.isInteger(controllerNumber) || controllerNumber < 0 || controllerNumber >= count) {
    throw new EngineError(
      ErrorCode.NotFound,
      `'${vm.file.name}' has no SCSI controller number ${String(controllerNumber)}.`,
      { object: 'SCSI controller', vmName: vm.file.name, controllerNumber },
    );
  }
  const numberOf = (location: string): number | null => {
    const match = SCSI_LOCATION.exec(location);
    return match === null ? null : Number(match[1]);
  };
  const attached = vm.file.drives.filter(
    (d) => numberOf(d.controllerLocation) === controllerNumber,
  );
  if (attached.length > 0) {
    throw new EngineError(
      ErrorCode.InvalidState,
      `SCSI controller ${controllerNumber} of '${vm.file.name}' still has drives attached (${attached.map((d) => d.controllerLocation).join(', ')}). Remove them first.`,
      { vmName: vm.file.name, reason: 'controller-has-drives', controllerNumber },
    );
  }
  const moved = vm.file.drives.filter(
    (d) => (numberOf(d.controllerLocation) ?? -1) > controllerNumber,
  );
  if (moved.length > 0 && vm.file.checkpoints.length > 0) {
    // The checkpoints froze the drives where they are (as hardDiskDrives.ts refuses drive changes).
    throw new EngineError(
      ErrorCode.InvalidState,
      `The hard disk drives of '${vm.file.name}' cannot be moved to another controller while it has checkpoints (a limit of this host).`,
      { vmName: vm.file.name, reason: 'has-checkpoints' },
    );
  }
  vm.file.drives = vm.file.drives.map((d) => {
    const match = SCSI_LOCATION.exec(d.controllerLocation);
    if (match === null || Number(match[1]) <= controllerNumber) return d;
    return { ...d, controllerLocation: `SCSI ${Number(match[1]) - 1}:${match[2] ?? '0'}` };
  });
  vm.file.configuration.scsiControllerCount = count - 1;
  // Boot entries name drives by location: they follow their drives.
  const bootOrder = vm.file.configuration.bootOrder;
  if (bootOrder !== undefined) {
    vm.file.configuration.bootOrder = bootOrder.map((location) => {
      const match = SCSI_LOCATION.exec(location);
      if (match === null || Number(match[1]) <= controllerNumber) return location;
      return `SCSI ${Number(match[1]) - 1}:${match[2] ?? '0'}`;
    });
  }
  await persistVm(ctx, vm);
  emitVmChanged(ctx, vm);
}
