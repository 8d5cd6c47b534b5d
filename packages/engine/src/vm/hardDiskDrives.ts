/**
 * Add-, Set- and Remove-VMHardDiskDrive: attaching a disk file to a VM's controllers, pointing a
 * drive at another file, detaching it (the file stays, as in Hyper-V). This host changes drives
 * only while the VM is Off and has no checkpoints (a checkpoint freezes one disk per drive, and
 * Apply brings that set back); Hyper-V can also add SCSI drives to a running VM.
 */
import { EngineError, ErrorCode, invalidArgument, invalidState } from '../errors.js';
import {
  persistVm,
  refuseWhileMerging,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import type { DriveSlot } from '../persistence/records.js';
import { inspectDisk } from '../disk/inspectDisk.js';
import { disksInUse, inUse } from '../disk/virtualHardDisks.js';
import { chainOf, emitVmChanged } from './vmView.js';
import type { AddHardDiskDriveInput, HardDiskDriveSlot } from '../disk/diskTypes.js';
import { assertChainFree, existingDisk } from './newVmDisk.js';
import { SCSI_LOCATIONS, scsiControllerCountOf } from './vmDevices.js';

const slotName = (s: HardDiskDriveSlot): string =>
  `${s.controllerType} ${s.controllerNumber}:${s.controllerLocation}`;

/**
 * The slots a VM's controllers offer: its SCSI controllers (`vmDevices.ts`: up to 4, 64 locations
 * each; an added controller is empty until a drive is attached to it) and, on generation 1, two
 * IDE controllers with two locations each, IDE 1:0 holding its DVD drive.
 */
function validSlot(vm: VmRuntime, slot: HardDiskDriveSlot): boolean {
  if (slot.controllerType === 'SCSI') {
    const controllers = scsiControllerCountOf(vm.file.configuration, vm.file.drives);
    return (
      slot.controllerNumber >= 0 &&
      slot.controllerNumber < controllers &&
      slot.controllerLocation >= 0 &&
      slot.controllerLocation < SCSI_LOCATIONS
    );
  }
  return (
    vm.file.configuration.generation === 1 &&
    slot.controllerType === 'IDE' &&
    slot.controllerNumber >= 0 &&
    slot.controllerNumber <= 1 &&
    slot.controllerLocation >= 0 &&
    slot.controllerLocation <= 1 &&
    !(slot.controllerNumber === 1 && slot.controllerLocation === 0)
  );
}

function slotsInUse(vm: VmRuntime): Set<string> {
  const used = new Set(vm.file.drives.map((d) => d.controllerLocation.toUpperCase()));
  if (vm.file.configuration.generation === 1) used.add('IDE 1:0');
  return used;
}

function chooseSlot(vm: VmRuntime, input: Partial<HardDiskDriveSlot>): HardDiskDriveSlot {
  const generation = vm.file.configuration.generation;
  const type = input.controllerType ?? (generation === 2 ? 'SCSI' : 'IDE');
  const used = slotsInUse(vm);
  const numbers = input.controllerNumber === undefined ? [0, 1, 2, 3] : [input.controllerNumber];
  const locations =
    input.controllerLocation === undefined
      ? Array.from({ length: 64 }, (_, i) => i)
      : [input.controllerLocation];
  let sawValid = false;
  for (const controllerNumber of numbers) {
    for (const controllerLocation of locations) {
      const slot = { controllerType: type, controllerNumber, controllerLocation };
      if (!validSlot(vm, slot)) continue;
      sawValid = true;
      if (!used.has(slotName(slot))) return slot;
    }
  }
  if (!sawValid) {
    throw invalidArgument(
      'controllerLocation',
      `A Generation ${generation} virtual machine has no such controller location${input.controllerType === undefined ? '' : ` on its ${type} controllers`}.`,
    );
  }
  throw new EngineError(
    ErrorCode.InvalidState,
    `The controller location is already in use on '${vm.file.name}'.`,
    { vmName: vm.file.name, reason: 'slot-in-use' },
  );
}

function assertCanChangeDrives(vm: VmRuntime): void {
  if (vm.state !== 'Off') throw invalidState(vm.file.name, vm.state, 'change hard disk drives');
  refuseWhileMerging(vm);
  if (vm.file.checkpoints.length > 0) {
    throw new EngineError(
      ErrorCode.InvalidState,
      `The hard disk drives of '${vm.file.name}' cannot be changed while it has checkpoints (a limit of this host).`,
      { vmName: vm.file.name, reason: 'has-checkpoints' },
    );
  }
}

/** The disk and its parents, for the VM's disk registry; refused when any VM uses one of them. */
async function diskChain(
  ctx: HostContext,
  path: string,
): Promise<{ path: string; parent: string | null }[]> {
  const disk = await inspectDisk(ctx, path);
  const used = disksInUse(ctx);
  for (const d of disk.chain) if (used.has(d.path.toLowerCase())) throw inUse(d.path);
  return disk.chain.map((d) => ({ path: d.path, parent: d.parentPath }));
}

/** Forgets registry entries no drive's chain needs any more. */
function pruneRegistry(vm: VmRuntime): void {
  const needed = new Set(vm.file.drives.flatMap((d) => chainOf(vm.file.disks, d.path)));
  for (const path of Object.keys(vm.file.disks)) if (!needed.has(path)) delete vm.file.disks[path];
}

async function commit(ctx: HostContext, vm: VmRuntime, change: () => void): Promise<void> {
  const before = structuredClone({ drives: vm.file.drives, disks: vm.file.disks });
  change();
  try {
    await persistVm(ctx, vm);
  } catch (error) {
    vm.file.drives = before.drives;
    vm.file.disks = before.disks;
    throw error;
  }
  emitVmChanged(ctx, vm);
}

export async function addHardDiskDrive(
  ctx: HostContext,
  vm: VmRuntime,
  input: AddHardDiskDriveInput,
): Promise<void> {
  assertCanChangeDrives(vm);
  const slot = chooseSlot(vm, input);
  // The same checks as New-VM -VHDPath: inside the storage roots, the chain opens read-only, no VM uses it.
  const disk = await existingDisk(ctx, input.path);
  const drive: DriveSlot = {
    controllerLocation: slotName(slot),
    path: disk.path,
    virtualSizeBytes: disk.sizeBytes,
  };
  await commit(ctx, vm, () => {
    // Checked again with no await before the change, so two requests cannot both take the disk.
    assertChainFree(ctx, disk.chain);
    vm.file.drives.push(drive);
    for (const d of disk.chain) vm.file.disks[d.path] = { parent: d.parent };
  });
}

function findDrive(vm: VmRuntime, controllerLocation: string): DriveSlot {
  const drive = vm.file.drives.find(
    (d) => d.controllerLocation.toUpperCase() === controllerLocation.toUpperCase(),
  );
  if (drive === undefined) {
    throw new EngineError(
      ErrorCode.NotFound,
      `'${vm.file.name}' has no hard disk drive at ${controllerLocation}.`,
      { object: 'hard disk drive', vmName: vm.file.name, controllerLocation },
    );
  }
  return drive;
}

/** Detaches the drive; its disk file stays where it is. */
export async function removeHardDiskDrive(
  ctx: HostContext,
  vm: VmRuntime,
  controllerLocation: string,
): Promise<void> {
  assertCanChangeDrives(vm);
  const drive = findDrive(vm, controllerLocation);
  await commit(ctx, vm, () => {
    vm.file.drives = vm.file.drives.filter((d) => d !== drive);
    pruneRegistry(vm);
  });
}

/** Points a drive at another disk file (Set-VMHardDiskDrive -Path). */
export async function setHardDiskDrivePath(
  ctx: HostContext,
  vm: VmRuntime,
  controllerLocation: string,
  path: string,
): Promise<void> {
  assertCanChangeDrives(vm);
  const drive = findDrive(vm, controllerLocation);
  const chain = await diskChain(ctx, path);
  const [top] = chain;
  if (top === undefined) throw invalidArgument('path', 'No disk was given.');
  const size = (await inspectDisk(ctx, top.path)).virtualSizeBytes;
  await commit(ctx, vm, () => {
    const index = vm.file.drives.indexOf(drive);
    vm.file.drives[index] = { ...drive, path: top.path, virtualSizeBytes: size };
    for (const d of chain) vm.file.disks[d.path] = { parent: d.parent };
    pruneRegistry(vm);
  });
}
