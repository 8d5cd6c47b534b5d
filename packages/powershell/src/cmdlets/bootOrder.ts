/**
 * A Generation 2 VM's boot order as the Hyper-V module shows it and takes it back:
 * Get-VMFirmware's BootOrder is a list of VMBootSource objects (a drive's, then the network
 * adapter's), and Set-VMFirmware -BootOrder takes "an array of devices ... VMBootSource,
 * VMNetworkAdapter, HardDiskDrive, DVDDrive" and -FirstBootDevice one of them (Microsoft's
 * Set-VMFirmware reference). The order lives in the engine's firmware setting, which the Settings
 * dialog's Firmware page changes too.
 */
import type { VmDetail } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject, toPsString } from '../runtime/values.js';
import { DRIVE_TYPE, driveObject } from './disk.js';
import type { CmdletContext } from './types.js';
import { networkAdapterObject, VM_NETWORK_ADAPTER_TYPE } from './vmNetworkAdapter.js';

export const VM_BOOT_SOURCE_TYPE = 'Microsoft.HyperV.PowerShell.VMBootSource';

/** The object types -BootOrder and -FirstBootDevice accept (a DVD drive: this host's VMs have none). */
export const BOOT_DEVICE_TYPES = [VM_BOOT_SOURCE_TYPE, DRIVE_TYPE, VM_NETWORK_ADAPTER_TYPE];

/**
 * Get-VMFirmware's BootOrder: one VMBootSource per hard drive in the firmware's order, then the
 * network adapter (this host boots it after the drives). [B] The descriptions "EFI SCSI Device"
 * and "EFI Network" are those public Get-VMFirmware transcripts show; FirmwarePath (the UEFI
 * device path) is not simulated and stays empty.
 */
export function bootSources(ctx: CmdletContext, vm: VmDetail): PsObject[] {
  const computerName = ctx.host.info().name;
  const source = (bootType: string, description: string, device: PsObject) =>
    new PsObject(VM_BOOT_SOURCE_TYPE, {
      VMName: vm.name,
      BootType: bootType,
      Description: description,
      FirmwarePath: '',
      Device: device,
      VMId: vm.id,
      ComputerName: computerName,
    });
  const drives = (vm.firmware?.bootOrder ?? []).flatMap((entry) => {
    const drive = vm.hardDrives.find((d) => d.controllerLocation === entry.controllerLocation);
    return drive === undefined
      ? []
      : [source('Drive', 'EFI SCSI Device', driveObject(vm, drive, computerName))];
  });
  // Each synthetic adapter has a boot entry after the drives; a legacy adapter boots from the BIOS
  // of a generation 1 VM, which has no boot order list.
  const adapters = (vm.networkAdapters ?? [])
    .filter((adapter) => !adapter.isLegacy)
    .map((adapter) => source('Network', 'EFI Network', networkAdapterObject(ctx, vm, adapter)));
  return [...drives, ...adapters];
}

/** What one boot device object names: a drive by its location, or the network adapter. */
type BootDevice = { kind: 'drive'; location: string } | { kind: 'network' };

/** [B] A device of another VM: Hyper-V's words are not known; this sentence is the host's. */
function notThisVms(vm: VmDetail, what: string): PsError {
  return new PsError(`The device '${what}' does not belong to '${vm.name}'.`, {
    category: 'InvalidArgument',
    errorId: 'InvalidParameter',
    exceptionType: 'VirtualizationException',
  });
}

/**
 * [B] This host boots the network adapter after the hard drives (the engine orders the drives
 * only); a network adapter placed before a drive is refused in the host's own words.
 */
function networkBeforeDrive(vm: VmDetail): PsError {
  return new PsError(
    `'${vm.name}' boots from its network adapter after its hard drives on this host: place the network adapter after them.`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'VirtualizationException',
    },
  );
}

function deviceOf(vm: VmDetail, object: unknown): BootDevice {
  const o = object instanceof PsObject ? object : null;
  if (o === null) throw notThisVms(vm, toPsString(object));
  const device =
    o.typeName === VM_BOOT_SOURCE_TYPE && o.get('Device') instanceof PsObject
      ? (o.get('Device') as PsObject)
      : o;
  if (String(o.get('VMId') ?? device.get('VMId')).toLowerCase() !== vm.id.toLowerCase()) {
    const name =
      device.typeName === DRIVE_TYPE ? toPsString(device.get('Path')) : 'Network Adapter';
    throw notThisVms(vm, name);
  }
  if (device.typeName === VM_NETWORK_ADAPTER_TYPE) return { kind: 'network' };
  return {
    kind: 'drive',
    location: `${toPsString(device.get('ControllerType'))} ${toPsString(device.get('ControllerNumber'))}:${toPsString(device.get('ControllerLocation'))}`,
  };
}

/**
 * The drives' new order from -BootOrder: the drives it names, in its order, then the VM's other
 * drives as they were ([B] whether Hyper-V drops entries left out is not documented; this host
 * keeps them, last).
 */
export function bootOrderFrom(vm: VmDetail, objects: readonly unknown[]): string[] {
  const devices = objects.map((o) => deviceOf(vm, o));
  const firstNetwork = devices.findIndex((d) => d.kind === 'network');
  const lastDrive = devices.map((d) => d.kind).lastIndexOf('drive');
  if (firstNetwork !== -1 && firstNetwork < lastDrive) throw networkBeforeDrive(vm);
  const named = devices.flatMap((d) => (d.kind === 'drive' ? [d.location] : []));
  const current = (vm.firmware?.bootOrder ?? []).map((e) => e.controllerLocation);
  for (const location of named) if (!current.includes(location)) throw notThisVms(vm, location);
  return [...new Set([...named, ...current])];
}

/** -FirstBootDevice: that device first, the others in their order. */
export function firstBootDeviceOrder(vm: VmDetail, object: unknown): string[] {
  const current = (vm.firmware?.bootOrder ?? []).map((e) => e.controllerLocation);
  const device = deviceOf(vm, object);
  if (device.kind === 'network') {
    if (current.length > 0) throw networkBeforeDrive(vm);
    return current;
  }
  if (!current.includes(device.location)) throw notThisVms(vm, device.location);
  return [device.location, ...current.filter((l) => l !== device.location)];
}
